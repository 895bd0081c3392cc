/**
 * Splits a long text into parts under a size limit, at line boundaries, so a recap
 * never arrives cut mid-line. A single line longer than the limit is cut at a space
 * when there is one.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let current = '';
  const flush = (): void => {
    if (current !== '') parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    let rest = line;
    while (rest.length > max) {
      flush();
      const space = rest.lastIndexOf(' ', max);
      const cut = space > max / 2 ? space : max;
      parts.push(rest.slice(0, cut));
      rest = rest.slice(cut).replace(/^ /, '');
    }
    const joined = current === '' ? rest : `${current}\n${rest}`;
    if (joined.length <= max) current = joined;
    else {
      flush();
      current = rest;
    }
  }
  flush();
  // A text of only blank lines still sends something.
  return parts.length > 0 ? parts : [text.slice(0, max)];
}
