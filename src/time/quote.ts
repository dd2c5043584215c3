/** How user text appears in messages. */

const MAX_QUOTED = 80;

/** Quoted, control characters escaped (a message stays on one line), long text cut short. */
export function quote(text: string): string {
  const chars = [...text];
  if (chars.length <= MAX_QUOTED) return JSON.stringify(text);
  return `${JSON.stringify(chars.slice(0, MAX_QUOTED).join(''))}… (${chars.length} characters)`;
}
