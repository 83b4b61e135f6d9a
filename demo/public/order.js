// Order page: <mcf-order-status> follows the order by itself; the sandbox buttons skip the local sandbox's clock
// ahead and ask it to look again at once.
const tracking = document.querySelector("mcf-order-status");

for (const button of document.querySelectorAll("[data-advance-hours]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await fetch("/sandbox/advance", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hours: Number(button.dataset.advanceHours) }),
      });
      await tracking?.refresh();
    } finally {
      button.disabled = false;
    }
  });
}
