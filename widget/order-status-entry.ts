// Entry of dist/order-status.js: defines <mcf-order-status> once, even if the script is included twice.
import { McfOrderStatus } from "./order-status.ts";

export { ProblemError } from "./client.ts";
export type { OrderStrings } from "./order-status.strings.ts";
export { McfOrderStatus };

if (!customElements.get("mcf-order-status")) customElements.define("mcf-order-status", McfOrderStatus);

declare global {
  interface HTMLElementTagNameMap {
    "mcf-order-status": McfOrderStatus;
  }
}
