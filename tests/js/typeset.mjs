// Reads a JSON list of [tex, display] pairs on stdin and prints a JSON list of the errors MathJax
// reports, [{"index", "message"}], typesetting every one in this one process.
import {converter} from './tex.mjs';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const spans = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const {typeset} = converter();
const errors = [];
spans.forEach(([source, display], index) => {
  const {error} = typeset(source, Boolean(display));
  if (error) errors.push({index, message: error});
});
process.stdout.write(JSON.stringify(errors) + '\n');
