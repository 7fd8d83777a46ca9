import { writeSync } from 'node:fs';
import { MAX_RSS_MARKER } from './max-rss-marker.js';

/**
 * Preloaded with `node --import` into a child the bench measures: at exit, the process's
 * own peak resident set (getrusage ru_maxrss, in KiB) goes to stderr as one marker line.
 */
process.on('exit', () => {
  writeSync(2, `\n${MAX_RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
});
