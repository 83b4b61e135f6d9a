// The language an element speaks: its `locale` attribute, else the closest `lang`, else the browser's.

const canonicalLocale = (tag: string) => {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? "en";
  } catch {
    return "en";
  }
};

/** The element's BCP 47 language, read at each render; an invalid tag reads English rather than breaking. */
export const localeOf = (element: HTMLElement & { locale?: string }) =>
  canonicalLocale(element.locale || element.closest<HTMLElement>("[lang]")?.lang || navigator.language);
