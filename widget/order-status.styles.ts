// Styles of <mcf-order-status>: the checkout element's tokens (--mcf-*, theme.styles.ts), colours following
// `color-scheme`.
import { theme } from "./theme.styles.ts";

export const styles = new CSSStyleSheet();
styles.replaceSync(`${theme}
  [part=base] {
    display: grid;
    gap: var(--s);
  }
  ol {
    margin: 0;
  }
  [part=status] {
    font-size: 1.25em;
    font-weight: 600;
  }
  [part=steps] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--s);
    padding: 0;
    list-style: none;
    counter-reset: step;
  }
  [part~=step] {
    flex: 1;
    min-width: 6em;
    padding-top: .5em;
    border-top: 4px solid var(--l);
    color: var(--m);
  }
  [part~=step-done],
  [part~=step-current] {
    border-color: var(--a);
    color: var(--t);
  }
  [part~=step-current] {
    font-weight: 600;
  }
  [part=package] {
    display: grid;
    gap: calc(var(--s) / 2);
    padding: var(--s);
    border: 1px solid var(--l);
    border-radius: var(--mcf-radius, 8px);
    background: var(--b);
  }
  [part=package-label],
  [part=delivered] {
    font-weight: 600;
  }
  [part=events] {
    padding-inline-start: 1.25em;
  }
  .note,
  time {
    color: var(--m);
    font-size: .875em;
  }
  a {
    color: var(--a);
  }
`);
