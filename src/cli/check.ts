import { formatProblem } from '../content/model.js';
import { helpText, parse, type Command } from './args.js';
import { SITE_OPTIONS, SITE_OPTION_HELP, loadPublishable, parsedOn } from './site.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Lint every article and setting by the rules build applies; print path:line: message per problem (scheduled and expired articles as info). Exit 1 on any error, 0 with warnings only.',
  usage: 'feedgen check [--articles DIR] [--base-url URL] [--now INSTANT] [--cache DIR] [--no-cache]',
  options: [...SITE_OPTION_HELP, '-h, --help       show this help'],
  async run(argv, io) {
    const { values } = parse(argv, SITE_OPTIONS);
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    // check writes nothing, the cache included (it may run on a read-only checkout); it reads it.
    const site = await loadPublishable(values, { writeCache: false, writeHistory: false });
    const { problems, errors, valid } = site;
    for (const problem of problems) io.out(`${formatProblem(problem)}\n`);
    const warnings = problems.filter((p) => p.severity === 'warning').length;
    const notes = problems.filter((p) => p.severity === 'info').length;
    io.err(`${valid} articles valid; ${errors} errors, ${warnings} warnings${notes ? `, ${notes} notes` : ''}; ${parsedOn(site)}\n`);
    return errors > 0 ? 1 : 0;
  },
};
