// Checkout page behaviour: hand the cart to the element, keep the order summary in step with the chosen delivery
// option, and place the order in the page's flow (server: plain form post; browser: element.confirm + release).
const form = document.querySelector("#checkout");
const element = document.querySelector("mcf-delivery-options");
const totals = document.querySelector(".totals");
const status = document.querySelector("#checkout-status");
const errorBox = document.querySelector("#order-error");
const submit = form.querySelector(".place-order");
const items = JSON.parse(document.querySelector("#cart-items").textContent);

element.items = items;

const money = (amount) =>
  new Intl.NumberFormat(totals.dataset.locale, { style: "currency", currency: totals.dataset.currency }).format(
    Number(amount),
  );

// detail: the chosen option, or null when a reload no longer offers the previous choice.
element.addEventListener("mcf-change", (event) => {
  const shipping = event.detail?.price?.amount;
  const subtotal = document.querySelector("#subtotal").dataset.amount;
  document.querySelector("#shipping-amount").textContent =
    shipping === undefined ? totals.dataset.pending : Number(shipping) === 0 ? totals.dataset.free : money(shipping);
  document.querySelector("#total-amount").textContent = money(Number(subtotal) + Number(shipping ?? 0));
});

// "Use a sample address": fills the fields the way browser autofill does (input + change events).
for (const button of document.querySelectorAll("[data-sample-address]")) {
  button.addEventListener("click", () => {
    const sample = JSON.parse(button.dataset.sampleAddress);
    for (const [name, value] of Object.entries(sample)) {
      const field = form.elements.namedItem(name);
      if (!field) continue;
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
}

// Cash on delivery changes what Amazon can offer, so the element asks again.
for (const radio of form.querySelectorAll('input[name="payment"]')) {
  radio.addEventListener("change", () => {
    element.toggleAttribute("cash-on-delivery", form.elements.payment.value === "cod");
  });
}

const showError = (title, detail) => {
  errorBox.hidden = false;
  errorBox.replaceChildren(Object.assign(document.createElement("strong"), { textContent: title }));
  if (detail) errorBox.append(Object.assign(document.createElement("p"), { textContent: detail }));
  errorBox.scrollIntoView({ block: "center" });
};

// The element words a refused order for shoppers (detail.message); the developer's detail is in its console line.
let orderRefusal;
element.addEventListener("mcf-error", (event) => {
  if (event.detail.operation === "order") orderRefusal = event.detail.message;
});

const busy = (on, label) => {
  submit.disabled = on;
  status.textContent = on ? label : "";
};

form.addEventListener("submit", async (event) => {
  if (form.dataset.flow !== "browser") {
    // Server flow: the browser posts the form; the element's form value is the quote.
    busy(true, submit.dataset.busyLabel);
    return;
  }
  event.preventDefault();
  const value = (name) => form.elements.namedItem(name)?.value.trim() || undefined;
  const address = Object.fromEntries(
    ["name", "line1", "line2", "city", "stateOrRegion", "postalCode", "countryCode", "phone"]
      .map((name) => [name, value(name)])
      .filter(([, v]) => v !== undefined),
  );
  busy(true, submit.dataset.busyLabel);
  orderRefusal = undefined;
  try {
    const order = await element.confirm({
      address,
      // Prices are the merchant server's to set; the browser sends what it ships.
      items: items.map(({ sku, quantity }) => ({ sku, quantity })),
      // Shipment e-mails from Amazon where the store's Amazon API sends them (2026-07-04 does not).
      notificationEmails: value("email") && form.dataset.notify !== "false" ? [value("email")] : undefined,
      displayableOrderId: value("orderNumber"),
    });
    // The order is on Hold. "Take payment", then ask our server to release it.
    status.textContent = submit.dataset.payingLabel;
    const response = await fetch(`${form.dataset.path}/orders/${encodeURIComponent(order.orderId)}/pay`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      // The order page shows what the shopper pays; the price is the one the proxy quoted and ordered.
      body: JSON.stringify({ orderToken: order.orderToken, price: order.price, payment: form.elements.payment.value }),
    });
    const released = await response.json();
    if (!response.ok) throw Object.assign(new Error(released.detail || released.title), { title: released.title });
    location.assign(released.orderPage);
  } catch (error) {
    busy(false);
    showError(submit.dataset.failedLabel, orderRefusal ?? (error.detail || error.message || error.title));
  }
});
