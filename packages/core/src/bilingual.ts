/**
 * A validation message in both languages, for schema refinements. The server's error
 * handler splits it and answers in the language the client asked for.
 */
export function bi(zh: string, en: string): string {
  return `${zh}‖${en}`;
}
