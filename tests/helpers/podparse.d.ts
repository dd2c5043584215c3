/** podparse ships no types: the part the tests read. */
declare module 'podparse' {
  export default function getPodcastFromFeed(xml: string): {
    meta: { title?: string; image?: { url?: string; title?: string; link?: string }; author?: string };
    episodes: Array<{ title?: string; enclosure?: { url?: string; length?: number; type?: string } }>;
  };
}
