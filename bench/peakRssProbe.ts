// Preloaded into a measured Node program with `node --require` (see childPeakRss.ts): when the
// program exits, by itself, through process.exit() or on an uncaught exception, this writes the
// process's peak resident set size (kilobytes, as process.resourceUsage() gives it) to the file
// named by MMU_LENS_PEAK_RSS_FILE. It loads nothing else and changes nothing in the program.
import { writeFileSync } from 'fs';

const target = process.env['MMU_LENS_PEAK_RSS_FILE'];
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS));
  });
}
