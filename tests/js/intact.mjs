// Reads a JSON list of documents {"markdown", "spans": [[form, tex], ...]} on stdin, renders each with
// markdown-it (CommonMark and GFM tables, as GitHub parses before MathJax runs) and prints, per document, the
// indices of the spans whose TeX does not come out of it intact. An independent check of the rules in
// tests/render/markdown_math.py.
import MarkdownIt from 'markdown-it';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const documents = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const md = new MarkdownIt({html: true});
const esc = md.utils.escapeHtml;
// Whitespace changes nothing MathJax reads, and paragraphs re-indent their lines: compare without it.
const squeeze = (s) => s.replace(/\s+/g, '');
const expected = {
  'dollar': (tex) => esc(`$${tex}$`),
  'dollars': (tex) => esc(`$$${tex}$$`),
  'backticks': (tex) => `$<code>${esc(tex)}</code>$`,
  'math block': (tex) => `<codeclass="language-math">${esc(tex)}</code>`,
};
function altered({markdown, spans}) {
  const html = squeeze(md.render(markdown));
  // Each span's fragment may occur several times (a short $k$, say): match spans to occurrences in order,
  // as many as possible (a longest increasing subsequence of positions), so that an altered span never takes
  // a twin's place further on.
  const pairs = [];
  spans.forEach(([form, tex], index) => {
    const fragment = squeeze(expected[form](tex));
    const places = [];
    for (let at = html.indexOf(fragment); at >= 0; at = html.indexOf(fragment, at + 1)) places.push(at);
    places.reverse().forEach((place) => pairs.push([index, place]));
  });
  const tails = [], tailPair = [], previous = new Array(pairs.length).fill(-1);
  pairs.forEach(([, place], k) => {
    let lo = 0, hi = tails.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (tails[mid] < place) lo = mid + 1; else hi = mid; }
    tails[lo] = place;
    tailPair[lo] = k;
    previous[k] = lo ? tailPair[lo - 1] : -1;
  });
  const intact = new Set();
  for (let k = tails.length ? tailPair[tails.length - 1] : -1; k >= 0; k = previous[k]) intact.add(pairs[k][0]);
  return spans.map((_, index) => index).filter((index) => !intact.has(index));
}

process.stdout.write(JSON.stringify(documents.map(altered)) + '\n');
