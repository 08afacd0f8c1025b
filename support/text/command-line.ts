// Commands as scenarios write them: shell-like words, and ${...} placeholders for
// values only known at run time (addresses, join tokens).

/** Splits a command line into words, honouring '…' and "…" quoting and \ escapes. */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === "\\" && quote === '"' && i + 1 < line.length) current += line[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === "\\" && i + 1 < line.length) {
      const next = line[++i];
      // A backslash before a newline continues the line, as in the tutorial's commands.
      if (next !== "\n") {
        current += next;
        inWord = true;
      }
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`Unclosed ${quote} quote in command: ${line}`);
  if (inWord) words.push(current);
  return words;
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

/** Replaces every ${key} with resolve(key); resolve throws for keys it does not know. */
export async function expandPlaceholders(text: string, resolve: (key: string) => Promise<string>): Promise<string> {
  const keys = [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1].trim()))];
  const values = new Map<string, string>();
  for (const key of keys) values.set(key, await resolve(key));
  return text.replace(PLACEHOLDER, (_, key: string) => values.get(key.trim()) ?? "");
}

/** Words as one shell line: plain words as they are, others in single quotes. */
export function shellQuote(words: string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, "'\\''")}'`)).join(" ");
}
