/** Numbers as messages say them: a count with its noun in the right number, a size in bytes. */

/** `count(1, 'article')` -> "1 article", `count(2, 'article')` -> "2 articles"; `plural` for irregular nouns. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Bytes in the largest binary unit that keeps the number at 1 or more: "812 B", "9.4 KiB", "146 KiB", "1.5 GiB". */
export function byteSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = '';
  for (const next of UNITS) {
    value /= 1024;
    unit = next;
    if (value < 1023.5) break;
  }
  // One decimal while it says something (below 10), none above: "9.4 MiB", "146 MiB".
  const shown = value < 10 ? value.toFixed(1) : value.toFixed(0);
  return `${shown.endsWith('.0') ? shown.slice(0, -2) : shown} ${unit}`;
}
