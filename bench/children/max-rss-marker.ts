/** The stderr line a child preloaded with report-max-rss.js prints at exit: `BENCH_MAX_RSS_KB=<KiB>`. */
export const MAX_RSS_MARKER = 'BENCH_MAX_RSS_KB=';
