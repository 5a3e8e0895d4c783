/**
 * A compose `command:` or `entrypoint:` written as one string, split the way compose splits
 * it (compose-go uses shellwords): words separated by blanks, single quotes literal, double
 * quotes with backslash escapes, a backslash escaping the next character outside quotes. No
 * shell runs: `$HOME`, `&&` and `|` stay literal words, as they do under compose.
 */
export function splitShellWords(text: string): { readonly words: string[]; readonly problem?: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) word += text[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return quote ? { words, problem: `has an unclosed ${quote} quote` } : { words };
}

/** Whether a word list needs a shell to mean what it says (`&&`, pipes, redirections, `$VAR`). */
export function needsShell(words: readonly string[]): boolean {
  return words.some((w) => /^(&&|\|\||\||;|>|>>|<|2>&1)$/.test(w) || /\$[A-Za-z_{(]/.test(w));
}
