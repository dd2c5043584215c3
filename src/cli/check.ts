import { loadSite } from '../content/load.js';
import { formatProblem } from '../content/model.js';
import { helpText, parse, type Command } from './args.js';
import { parsedOn } from './site.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Lint every article and setting; print path:line: message per problem. Exit 1 on any error, 0 with warnings only.',
  usage: 'feedgen check [--articles DIR]',
  options: ['--articles DIR   the articles folder (default ./articles)', '-h, --help       show this help'],
  async run(argv, io) {
    const { values } = parse(argv, { articles: { type: 'string' } });
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    const articlesDir = values.articles ?? 'articles';
    const result = await loadSite(articlesDir, { fallbackBaseUrl: 'http://localhost' });
    for (const problem of result.problems) io.out(`${formatProblem(problem)}\n`);
    const errors = result.problems.filter((p) => p.severity === 'error').length;
    const warnings = result.problems.length - errors;
    const articles = result.data?.articles.length ?? 0;
    io.err(`${articles} articles valid; ${errors} errors, ${warnings} warnings; ${parsedOn(result.threads)}\n`);
    return errors > 0 ? 1 : 0;
  },
};
