/**
 * Protects text from Helm's template engine: `{{` and `}}` become template
 * actions that print them, so `helm template` renders the text unchanged.
 */
export function escapeForHelm(text: string): string {
  return text.replace(/\{\{|\}\}/g, (braces) => `{{ "${braces}" }}`);
}
