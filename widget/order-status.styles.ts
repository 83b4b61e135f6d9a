// Styles of <mcf-order-status>: the checkout element's tokens (--mcf-*), colours following `color-scheme`.
export const styles = new CSSStyleSheet();
styles.replaceSync(`
  :host {
    --t: var(--mcf-color-text, light-dark(#1d1d1f, #f2f2f7));
    --m: var(--mcf-color-muted, light-dark(#545458, #b4b4bb));
    --b: var(--mcf-color-background, light-dark(#fff, #1c1c1e));
    --l: var(--mcf-color-border, #8e8e93);
    --a: var(--mcf-color-accent, light-dark(#0a5cc2, #6cb4ff));
    --s: var(--mcf-spacing, 12px);
    display: block;
    font: var(--mcf-font, inherit);
    color: var(--t);
  }
  .sr {
    position: absolute;
    clip-path: inset(50%);
  }
  [part=base] {
    display: grid;
    gap: var(--s);
  }
  p,
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
  :focus-visible {
    outline: 2px solid var(--mcf-color-focus, var(--a));
    outline-offset: 2px;
  }
  [part=error] {
    display: flex;
    align-items: center;
    gap: var(--s);
    color: var(--mcf-color-error, light-dark(#b3261e, #ff8a80));
  }
  button {
    font: inherit;
    padding: .4em;
    border-radius: 4px;
    color: var(--a);
    background: none;
    border: 1px solid;
  }
`);
