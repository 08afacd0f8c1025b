// Text matched literally inside a regular expression.

/** `text` with every character that means something in a RegExp escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern that matches exactly one of `texts`, whole. */
export function exactlyOneOf(texts: readonly string[]): RegExp {
  return new RegExp(`^(${texts.map(escapeRegExp).join("|")})$`);
}
