// What both elements' styles share: the public --mcf-* tokens resolved once on the host (colours following the
// page's `color-scheme` through light-dark()), the visually hidden live region, focus, the error box and Retry.
export const theme = `
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
  p {
    margin: 0;
  }
`;
