/**
 * Apple Podcasts' categories and their subcategories, as Apple lists them for `itunes:category`
 * (19 categories, 91 subcategories). The one list every check and feed reads: a podcast must name
 * categories from it, spelled as here.
 */
export const APPLE_CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  Arts: ['Books', 'Design', 'Fashion & Beauty', 'Food', 'Performing Arts', 'Visual Arts'],
  Business: ['Careers', 'Entrepreneurship', 'Investing', 'Management', 'Marketing', 'Non-Profit'],
  Comedy: ['Comedy Interviews', 'Improv', 'Stand-Up'],
  Education: ['Courses', 'How To', 'Language Learning', 'Self-Improvement'],
  Fiction: ['Comedy Fiction', 'Drama', 'Science Fiction'],
  Government: [],
  History: [],
  'Health & Fitness': ['Alternative Health', 'Fitness', 'Medicine', 'Mental Health', 'Nutrition', 'Sexuality'],
  'Kids & Family': ['Education for Kids', 'Parenting', 'Pets & Animals', 'Stories for Kids'],
  Leisure: ['Animation & Manga', 'Automotive', 'Aviation', 'Crafts', 'Games', 'Hobbies', 'Home & Garden', 'Video Games'],
  Music: ['Music Commentary', 'Music History', 'Music Interviews'],
  News: ['Business News', 'Daily News', 'Entertainment News', 'News Commentary', 'Politics', 'Sports News', 'Tech News'],
  'Religion & Spirituality': ['Buddhism', 'Christianity', 'Hinduism', 'Islam', 'Judaism', 'Religion', 'Spirituality'],
  Science: ['Astronomy', 'Chemistry', 'Earth Sciences', 'Life Sciences', 'Mathematics', 'Natural Sciences', 'Nature', 'Physics', 'Social Sciences'],
  'Society & Culture': ['Documentary', 'Personal Journals', 'Philosophy', 'Places & Travel', 'Relationships'],
  Sports: [
    'Baseball', 'Basketball', 'Cricket', 'Fantasy Sports', 'Football', 'Golf', 'Hockey', 'Rugby', 'Running', 'Soccer',
    'Swimming', 'Tennis', 'Volleyball', 'Wilderness', 'Wrestling',
  ],
  Technology: [],
  'True Crime': [],
  'TV & Film': ['After Shows', 'Film History', 'Film Interviews', 'Film Reviews', 'TV Reviews'],
};

export interface PodcastCategory {
  text: string;
  subcategory?: string;
}

const fold = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * `Society & Culture > Documentary` or `History` -> the category as Apple spells it (letter case
 * and spaces are forgiven), or a message saying what Apple's list has instead.
 */
export function appleCategory(written: string): { ok: true; category: PodcastCategory } | { ok: false; message: string } {
  const [top = '', sub, ...rest] = written.split('>');
  const text = Object.keys(APPLE_CATEGORIES).find((name) => fold(name) === fold(top));
  if (text === undefined || rest.length > 0) {
    return { ok: false, message: `"${written}" is not an Apple Podcasts category; the categories are ${Object.keys(APPLE_CATEGORIES).join(', ')} (a subcategory follows its category after ">", such as "News > Daily News")` };
  }
  if (sub === undefined) return { ok: true, category: { text } };
  const subcategories = APPLE_CATEGORIES[text] ?? [];
  const subcategory = subcategories.find((name) => fold(name) === fold(sub));
  if (subcategory === undefined) {
    const known = subcategories.length > 0 ? `its subcategories are ${subcategories.join(', ')}` : 'it has no subcategories';
    return { ok: false, message: `"${sub.trim()}" is not a subcategory of "${text}" in Apple Podcasts' list: ${known}` };
  }
  return { ok: true, category: { text, subcategory } };
}
