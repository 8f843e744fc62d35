// One MathJax 3 TeX-to-SVG converter with the TeX packages GitHub's Markdown maths offers, and no
// noerrors or noundefined: a TeX error or an undefined macro is reported, never drawn in red.
import {mathjax} from 'mathjax-full/js/mathjax.js';
import {TeX} from 'mathjax-full/js/input/tex.js';
import {SVG} from 'mathjax-full/js/output/svg.js';
import {liteAdaptor} from 'mathjax-full/js/adaptors/liteAdaptor.js';
import {RegisterHTMLHandler} from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/base/BaseConfiguration.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/newcommand/NewcommandConfiguration.js';
import 'mathjax-full/js/input/tex/boldsymbol/BoldsymbolConfiguration.js';
import 'mathjax-full/js/input/tex/color/ColorConfiguration.js';

export const PACKAGES = ['base', 'ams', 'newcommand', 'boldsymbol', 'color'];

// typeset(source, display) -> {html} or {error, html}; css is MathJax's stylesheet for the SVG it writes.
export function converter() {
  const adaptor = liteAdaptor();
  RegisterHTMLHandler(adaptor);
  let error = null;
  const tex = new TeX({
    packages: PACKAGES,
    // MathJax would otherwise turn the error into an <merror> node and carry on.
    formatError: (jax, err) => { error = err; return jax.formatError(err); },
  });
  const svg = new SVG({fontCache: 'local'});
  const doc = mathjax.document('', {InputJax: tex, OutputJax: svg});
  function typeset(source, display) {
    error = null;
    let node;
    try {
      node = doc.convert(source, {display});
    } catch (err) {
      return {error: String(err && err.message || err)};
    }
    const html = adaptor.outerHTML(node);
    const marked = html.match(/data-mjx-error="([^"]*)"/);
    if (error || marked || /<merror\b|data-mml-node="merror"/.test(html)) {
      return {error: error ? error.message : marked ? marked[1] : 'merror in the output', html};
    }
    return {html};
  }
  return {typeset, css: () => adaptor.textContent(svg.styleSheet(doc))};
}
