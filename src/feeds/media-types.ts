/**
 * The registry of media types by file extension: what the site serves its media files as, the
 * type an image, a transcript or a link to a file has when the article does not name one, and the
 * Media RSS `medium` of a type.
 */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  flac: 'audio/flac',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  m4v: 'video/x-m4v',
  mov: 'video/quicktime',
  webm: 'video/webm',
  pdf: 'application/pdf',
  epub: 'application/epub+zip',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ico: 'image/vnd.microsoft.icon',
  vtt: 'text/vtt',
  srt: 'application/x-subrip',
  json: 'application/json',
  txt: 'text/plain',
};

/** Types whose bytes are text: served with `; charset=utf-8` (WebVTT, JSON and SRT files are UTF-8). */
const TEXT_TYPES: ReadonlySet<string> = new Set(['text/vtt', 'text/plain', 'application/json', 'application/x-subrip', 'image/svg+xml']);

/** Every type the site serves media files as. */
export const SERVED_MEDIA_TYPES: ReadonlySet<string> = new Set(Object.values(BY_EXTENSION));

export const SERVED_EXTENSIONS: readonly string[] = Object.keys(BY_EXTENSION);

/** `episode.MP3` -> `audio/mpeg`; undefined for an extension not in the registry. */
export function mediaTypeOfName(name: string): string | undefined {
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  return extension === undefined ? undefined : BY_EXTENSION[extension];
}

/** The type of the file a URL names, by the extension of its path. */
export function mediaTypeOfUrl(url: string): string | undefined {
  return mediaTypeOfName(new URL(url).pathname);
}

/** The Content-Type a media file of this type is served with. */
export function servedContentType(mediaType: string): string {
  return TEXT_TYPES.has(mediaType) ? `${mediaType}; charset=utf-8` : mediaType;
}

/**
 * Whether a Content-Type gains from gzip or brotli: text does (everything the site renders, and
 * text media files); audio, video, images, PDFs and archives are compressed already.
 */
export function isCompressibleType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return TEXT_TYPES.has(mediaType) || !SERVED_MEDIA_TYPES.has(mediaType);
}

/** Media RSS `medium`: image, audio, video or document. */
export function mediumOf(mediaType: string): 'image' | 'audio' | 'video' | 'document' {
  const top = mediaType.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'document';
}
