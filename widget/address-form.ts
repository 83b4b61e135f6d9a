// Reads a shipping address from any form (or container) by the fields' standard `autocomplete` tokens.
import type { Address } from "./types.ts";

const fieldsByToken: Record<string, keyof Address> = {
  country: "countryCode",
  "postal-code": "postalCode",
  "address-level1": "stateOrRegion",
  "address-level2": "city",
  "address-level3": "districtOrCounty",
  "address-line1": "line1",
  "address-line2": "line2",
  "address-line3": "line3",
  "street-address": "line1",
  name: "name",
  tel: "phone",
};

type Field = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** The address the container's fields hold; `shipping …` fields win over untagged ones, `billing …` fields never count. */
export function readAddressFields(container: ParentNode): Partial<Address> {
  const address: Partial<Address> = {};
  const rank: Partial<Record<keyof Address, number>> = {};
  for (const field of container.querySelectorAll<Field>("[autocomplete]")) {
    const tokens = field.getAttribute("autocomplete")!.toLowerCase().split(/\s+/);
    if (tokens.includes("billing")) continue;
    const priority = tokens.includes("shipping") ? 2 : 1;
    const value = field.value.trim();
    for (const key of tokens.map((token) => fieldsByToken[token])) {
      if (key && priority >= (rank[key] ?? 0)) {
        address[key] = value;
        rank[key] = priority;
      }
    }
  }
  return address;
}

/** Calls `onChange` with the container's address now and after every input or change event in it; returns the undo. */
export function followAddressFields(
  container: ParentNode & EventTarget,
  onChange: (address: Partial<Address>) => void,
) {
  const read = () => onChange(readAddressFields(container));
  container.addEventListener("input", read);
  container.addEventListener("change", read);
  read();
  return () => {
    container.removeEventListener("input", read);
    container.removeEventListener("change", read);
  };
}
