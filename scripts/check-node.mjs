// Fails fast, in plain words, when a script runs under a Node older than the project needs.
// Kept free of modern syntax so that it can still speak under very old Node versions.
var MINIMUM = [22, 18];
var parts = process.versions.node.split(".").map(Number);
var tooOld = parts[0] < MINIMUM[0] || (parts[0] === MINIMUM[0] && parts[1] < MINIMUM[1]);
if (tooOld) {
  console.error(
    "mcf-checkout needs Node " +
      MINIMUM.join(".") +
      " or newer (it runs TypeScript by type stripping); this is Node " +
      process.versions.node +
      ".\n" +
      "Run it through npm (npm start, npm test): npm puts the pinned Node 24 from node_modules/.bin first in PATH.\n" +
      "If node_modules/.bin/node is missing, run npm install first.",
  );
  process.exit(1);
}
