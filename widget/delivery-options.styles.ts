// Styles of <mcf-delivery-options>, on the tokens both elements share (theme.styles.ts). Colours follow the page's
// `color-scheme` through light-dark(); the native Retry button follows it by itself.
import { theme } from "./theme.styles.ts";

export const styles = new CSSStyleSheet();
styles.replaceSync(`${theme}
  .list {
    display: grid;
    gap: calc(var(--s) / 2);
  }
  [role=radio],
  [part=skeleton] {
    border: 1px solid var(--l);
    border-radius: var(--mcf-radius, 8px);
    background: var(--b);
  }
  [part~=option],
  [part=skeleton] {
    display: flex;
    align-items: center;
    gap: var(--s);
    padding: var(--s);
    min-height: 4.5em;
  }
  [aria-checked=true] {
    border-color: var(--a);
    box-shadow: inset 0 0 0 1px var(--a);
  }
  [aria-disabled=true] {
    opacity: .6;
  }
  [part=radio] {
    box-sizing: border-box;
    flex: none;
    width: 1.25em;
    height: 1.25em;
    border: 2px solid var(--l);
    border-radius: 50%;
  }
  [aria-checked=true] [part=radio] {
    border: .4em solid var(--a);
  }
  .text {
    flex: 1;
    display: grid;
  }
  [part=label],
  [part=price] {
    font-weight: 600;
  }
  .note,
  [part=arrival],
  [part=unorderable] {
    color: var(--m);
    font-size: .875em;
  }
  [part=estimate] {
    margin-inline-start: .5em;
    padding: 0 .4em;
    border: 1px solid;
    border-radius: 4px;
    font-size: .75em;
  }
  [part=skeleton] {
    opacity: .3;
    background: var(--l);
    animation: pulse 1s infinite alternate;
  }
  @keyframes pulse {
    to {
      opacity: .15;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      animation: none !important;
    }
  }
  [part=scheduled] {
    display: grid;
    gap: var(--s);
  }
  [part=days],
  [part=windows] {
    display: flex;
    flex-wrap: wrap;
    gap: calc(var(--s) / 2);
  }
  [part~=day],
  [part~=window] {
    padding: .4em .8em;
  }
  [part=scheduled],
  .note {
    margin-top: var(--s);
  }
`);
