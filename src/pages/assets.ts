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

export const FEED_STYLESHEET = `rss,feed{display:block;font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem;color:#1b1b1b}
rss::before,feed::before{content:"This is a news feed: copy its address into a feed reader to subscribe.";display:block;background:#fff8d6;border:1px solid #e6d98c;padding:.6rem;margin-bottom:1rem}
channel,item,entry{display:block}
channel>title,feed>title{display:block;font-size:1.8rem;font-weight:700;margin:1rem 0 .3rem}
channel>description,feed>subtitle{display:block;color:#555;margin-bottom:1.5rem}
channel>*,feed>*,item>*,entry>*{display:none}
channel>title,channel>description,channel>item,feed>title,feed>subtitle,feed>entry{display:block}
item,entry{border-top:1px solid #ddd;padding:.8rem 0}
item>title,entry>title{display:block;font-size:1.15rem;font-weight:600}
item>pubDate,entry>updated{display:block;color:#555;font-size:.85rem}
`;
