// Renders a Markdown file to a standalone HTML page as GitHub shows it: CommonMark with GFM tables,
// ```math blocks and $`…`$ typeset by MathJax 3 to SVG, images resolved beside the file. With --dollars,
// bare $…$ and $$…$$ are typeset too, found as GitHub finds them: after Markdown has had its way with them.
//   node tests/js/preview.mjs reports/seed-001.md /tmp/seed-001.html [--dollars]
import fs from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import MarkdownIt from 'markdown-it';
import {converter} from './tex.mjs';

const args = process.argv.slice(2);
const dollars = args.includes('--dollars');
const [input, output] = args.filter((a) => a !== '--dollars');
if (!input) {
  process.stderr.write('usage: node tests/js/preview.mjs FILE.md [OUT.html] [--dollars]\n');
  process.exit(2);
}
const {typeset, css} = converter();
let errors = 0;

function math(tex, display) {
  const {html, error} = typeset(tex, display);
  if (error) {
    errors += 1;
    process.stderr.write(`${input}: MathJax: ${error}: ${tex.slice(0, 80)}\n`);
  }
  return display ? `<div class="math-display">${html}</div>` : html;
}

const md = new MarkdownIt({html: true});
const fence = md.renderer.rules.fence;
md.renderer.rules.fence = (tokens, idx, options, env, self) => tokens[idx].info.trim() === 'math'
  ? math(tokens[idx].content.replace(/\n$/, ''), true) : fence(tokens, idx, options, env, self);
// $`…`$ is a code span with a dollar either side.
md.core.ruler.push('dollar_code_math', (state) => {
  for (const block of state.tokens) {
    const kids = block.type === 'inline' ? block.children : [];
    for (let i = 1; i + 1 < kids.length; i++) {
      const [before, code, after] = kids.slice(i - 1, i + 2);
      if (code.type === 'code_inline' && before.type === 'text' && before.content.endsWith('$')
          && after.type === 'text' && after.content.startsWith('$')) {
        before.content = before.content.slice(0, -1);
        after.content = after.content.slice(1);
        code.type = 'math_inline';
      }
    }
  }
});
md.renderer.rules.math_inline = (tokens, idx) => math(tokens[idx].content, false);

const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

// GitHub's dollar maths: looked for in the rendered page's text, outside code, so escapes and emphasis have
// already changed it.
function dollarMaths(html) {
  let inCode = 0;
  return html.split(/(<[^>]+>)/).map((part) => {
    if (part.startsWith('<')) {
      if (/^<(code|pre)\b/.test(part)) inCode += 1;
      if (/^<\/(code|pre)>/.test(part)) inCode -= 1;
      return part;
    }
    if (inCode) return part;
    return part.replace(/\$\$([\s\S]+?)\$\$/g, (_, tex) => math(unescape(tex.trim()), true))
      .replace(/\$(?!\s)((?:\\.|[^$\\])+?)(?<!\s)\$(?!\d)/g, (_, tex) => math(unescape(tex), false));
  }).join('');
}

const source = path.resolve(input);
let body = md.render(fs.readFileSync(source, 'utf8'));
if (dollars) body = dollarMaths(body);
const page = `<!DOCTYPE html>
<html><head><meta charset="utf-8">
<base href="${pathToFileURL(path.dirname(source))}/">
<title>${md.utils.escapeHtml(path.basename(source))}</title>
<style>
body { margin: 0; background: #fff; color: #1f2328; }
.markdown-body { box-sizing: border-box; max-width: 980px; margin: 0 auto; padding: 45px;
  font: 16px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h1, h2 { border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h1 { font-size: 2em; } h2 { font-size: 1.5em; } h3 { font-size: 1.25em; }
table { border-collapse: collapse; display: block; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
tr:nth-child(2n) { background: #f6f8fa; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; font-size: 85%; }
pre { background: #f6f8fa; border-radius: 6px; padding: 16px; overflow: auto; }
pre code { background: none; padding: 0; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
img { max-width: 100%; }
/* GitHub centres display maths and scrolls it sideways: MathJax 3 does not break long lines. */
.math-display { overflow-x: auto; overflow-y: hidden; margin: 16px 0; }
${css()}
</style></head>
<body><article class="markdown-body">
${body}</article></body></html>
`;
if (output) fs.writeFileSync(output, page);
else process.stdout.write(page);
if (errors) process.exit(1);
