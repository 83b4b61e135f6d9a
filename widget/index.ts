// Entry of dist/widget.js: defines <mcf-delivery-options> once, even if the script is included twice.
import { McfDeliveryOptions } from "./delivery-options.ts";

export { ProblemError } from "./client.ts";
export type { Strings } from "./strings.ts";
export type * from "./types.ts";
export { McfDeliveryOptions };

if (!customElements.get("mcf-delivery-options")) customElements.define("mcf-delivery-options", McfDeliveryOptions);

declare global {
  interface HTMLElementTagNameMap {
    "mcf-delivery-options": McfDeliveryOptions;
  }
}
