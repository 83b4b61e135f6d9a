// Order page: re-fetch the order panel every few seconds until the order reaches a final status.
const live = document.querySelector("#order-live");
const INTERVAL_MS = 2000;

async function refresh() {
  if (live.querySelector('[data-final="true"]')) return;
  try {
    const response = await fetch(live.dataset.panel, { headers: { accept: "text/html" } });
    if (response.ok) live.innerHTML = await response.text();
  } finally {
    setTimeout(refresh, INTERVAL_MS);
  }
}

setTimeout(refresh, INTERVAL_MS);
