// Connector mode's merchants: the public surface of proxy/tenants (see docs/connector.md).
export { CONSENT_PATH, type ConsentUrlInput, consentUrl, SELLER_CENTRAL_HOSTS, sellerCentralHost } from "./consent.ts";
export {
  generateMerchantKeys,
  generateTokenKey,
  hashSecretKey,
  openToken,
  PUBLISHABLE_PREFIX,
  parseTokenKeys,
  randomId,
  SECRET_PREFIX,
  sealToken,
  type TokenKeyRing,
} from "./crypto.ts";
export { d1Dialect } from "./d1.ts";
export {
  ENVIRONMENT_TENANT_ID,
  type EnvironmentTenant,
  environmentDirectory,
  type IdentifiedTenant,
  identifyTenant,
  type TenantCaller,
  type TenantDirectory,
} from "./directory.ts";
export {
  AUTHORISATION_DAYS,
  type BrowserOrders,
  parseTenantCreate,
  parseTenantUpdate,
  type Tenant,
  type TenantCreate,
  type TenantStatus,
  type TenantUpdate,
  type TenantValidators,
} from "./model.ts";
export {
  chooseTenantDatabase,
  DEFAULT_SQLITE_PATH,
  openTenantStore,
  type TenantDatabaseChoice,
  type TenantEngine,
  type TenantEngines,
} from "./open.ts";
export { MIGRATIONS, migrateTenantDatabase, type TenantDatabase } from "./schema.ts";
export { type SyncSqliteDatabase, syncSqliteDialect } from "./sqlite.ts";
export { type ConsentRequest, MAX_STATE_TTL_MS, type OAuthStateStore, type StateCheck } from "./states.ts";
export { type KeyKind, TenantStore, type TenantStoreOptions, type TenantWithKeys } from "./store.ts";
