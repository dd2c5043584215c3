/**
 * The two stylesheets the site serves: one for the HTML pages, one that makes RSS and Atom readable
 * when a browser opens them (an `xml-stylesheet` of type text/css: unlike XSLT, which browsers are
 * removing, CSS on XML keeps working, and validators ignore the processing instruction).
 */

export const CSS_MEDIA_TYPE = 'text/css';

export const PAGE_STYLESHEET = `body{font:16px/1.6 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b;background:#fff}
header{border-bottom:1px solid #ddd;margin-bottom:1.5rem;padding-bottom:.5rem}
a{color:#0b5cad}a.site{font-weight:700;text-decoration:none;color:#1b1b1b}
.meta{color:#555;font-size:.9rem}.feeds a{margin-right:.6rem;font-size:.85rem}
ul.items{padding-left:1.1rem}ul.sections{padding-left:1.1rem}
article img{max-width:100%;height:auto}pre{overflow:auto;background:#f5f5f5;padding:.6rem}
.tags{font-size:.85rem;color:#555}
.translations{font-size:.95rem}
img.avatar{float:right;width:6rem;height:6rem;object-fit:cover;border-radius:50%;margin:0 0 1rem 1rem}
`;

/*
 * Only what is both useful and reachable by CSS on RSS and Atom: the feed's title and description,
 * and per item its title, date and link (RSS gives the link as text; Atom as an attribute, shown
 * with attr()). Links cannot be made clickable by CSS; the address is shown to copy.
 */
export const FEED_STYLESHEET = `:root{color-scheme:light;background:#f6f6f3}
rss,feed{display:block;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:46rem;margin:0 auto;padding:1.5rem 1.25rem 3rem;color:#1b1b1b;background:#fff;min-height:100vh;box-sizing:border-box}
rss::before,feed::before{content:"This is a web feed. To follow it, copy this page's address into a feed reader.";display:block;background:#fff8d6;border:1px solid #e6d98c;border-radius:6px;padding:.7rem .9rem;margin-bottom:1.5rem;font-size:.95rem}
channel,item,entry{display:block}
channel>*,feed>*,item>*,entry>*{display:none}
channel>title,feed>title{display:block;font-size:2rem;font-weight:700;line-height:1.2;margin:.25rem 0 .5rem}
channel>description,feed>subtitle{display:block;color:#555;margin-bottom:1.5rem}
channel>item,feed>entry{display:flex;flex-direction:column;border-top:1px solid #e2e2e2;padding:.9rem 0}
item>title,entry>title{display:block;order:1;font-size:1.15rem;font-weight:600;line-height:1.35;color:#0b5cad}
item>pubDate,entry>published{display:block;order:2;color:#555;font-size:.85rem;margin-top:.2rem}
item>link,entry>link[rel=alternate]{display:block;order:3;color:#0b5cad;font-size:.85rem;overflow-wrap:anywhere}
entry>link[rel=alternate]::after{content:attr(href)}
`;
