import { count } from '../words/counts.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable, parsedOn } from './site.js';
import { Progress, stylesOf } from './terminal.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Lint every article and setting by the rules build applies; print path:line: message per problem (scheduled and expired articles, and sections without _index.md, as info). Exit 1 on any error, 0 with warnings only.',
  usage: 'feedgen check [--articles DIR] [--base-url URL] [--now INSTANT] [--cache DIR] [--no-cache]',
  options: [...SITE_OPTION_HELP, '-h, --help       show this help'],
  async run(argv, io) {
    const { values } = parse(argv, SITE_OPTIONS);
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const styles = stylesOf(io);
    const progress = new Progress(io, 'check');
    // check writes nothing, the cache included (it may run on a read-only checkout); it reads it.
    const site = await loadPublishable(values, { writeCache: false, writeHistory: false, progress: progress.step('parsing', 'articles') });
    progress.clear();
    const { problems, errors, valid, invalid } = site;
    for (const problem of problems) io.out(`${styles.out.problem(problem)}\n`);
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    const notes = problems.filter((p) => p.severity === 'info').length;
    const style = styles.err;
    io.err(
      `${count(valid, 'article')} valid${invalid ? `, ${style.red(`${invalid} invalid`)}` : ''}; ${style.errors(count(errors, 'error'), errors)}, ${style.warnings(count(warnings, 'warning'), warnings)}${notes ? `, ${count(notes, 'note')}` : ''}; ${parsedOn(site)}\n`,
    );
    return errors > 0 ? 1 : 0;
  },
};
