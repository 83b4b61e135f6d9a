// Order page: re-fetch the order panel every few seconds until the order reaches a final status; the sandbox
// buttons skip the local sandbox's clock ahead and refresh at once.
const live = document.querySelector("#order-live");
const INTERVAL_MS = 2000;
let timer;

async function refresh() {
  clearTimeout(timer);
  try {
    const response = await fetch(live.dataset.panel, { headers: { accept: "text/html" } });
    if (response.ok) live.innerHTML = await response.text();
  } finally {
    if (!live.querySelector('[data-final="true"]')) timer = setTimeout(refresh, INTERVAL_MS);
  }
}

for (const button of document.querySelectorAll("[data-advance-hours]")) {
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await fetch("/sandbox/advance", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ hours: Number(button.dataset.advanceHours) }),
      });
      await refresh();
    } finally {
      button.disabled = false;
    }
  });
}

if (!live.querySelector('[data-final="true"]')) timer = setTimeout(refresh, INTERVAL_MS);
