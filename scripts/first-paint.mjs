// Fills the built index.html from the copy file (locales/nl.toml), so the page shows its
// first screen before the wasm arrives, and its whole text without JavaScript. The markup uses
// the app's own classes, so the app takes over without anything moving.
//
// In index.html:  {{section.key}}  is replaced by that text (escaped), and the element
// <div id="first-paint"> gets the petition page (header, title, a count placeholder of the
// final size, intro, the sign card's outline and the three sections) and the embed's first
// screen; a class on <html>, set by a line of script in index.html, shows the right one.
import { readFileSync } from 'node:fs';

/** The subset of TOML the copy file uses: [sections], "strings" and """multi-line strings""". */
export function parseCopy(text) {
  const out = {};
  let section = null;
  const lines = text.split('\n');
  const ESCAPES = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', '"': '"', '\\': '\\' };
  const unescape = (s) =>
    s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, e) => {
      if (e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
      if (!(e in ESCAPES)) throw new Error(`locales/nl.toml: unknown escape ${whole}`);
      return ESCAPES[e];
    });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    let m = line.match(/^\[([a-z_]+)\]$/);
    if (m) {
      section = out[m[1]] = {};
      continue;
    }
    if (!section) throw new Error(`locales/nl.toml:${i + 1}: text outside a [section]`);
    m = line.match(/^([a-z0-9_]+)\s*=\s*"""(.*)$/);
    if (m) {
      const parts = [m[2]];
      while (!parts.at(-1).includes('"""')) {
        if (++i >= lines.length) throw new Error(`locales/nl.toml: """ of ${m[1]} is never closed`);
        parts.push(lines[i]);
      }
      const body = parts.join('\n');
      section[m[1]] = unescape(body.slice(0, body.indexOf('"""'))).trim();
      continue;
    }
    m = line.match(/^([a-z0-9_]+)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(#.*)?$/);
    if (m) {
      section[m[1]] = unescape(m[2]).trim();
      continue;
    }
    throw new Error(`locales/nl.toml:${i + 1}: cannot read this line`);
  }
  return out;
}

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const paragraphs = (text) =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escape(p)}</p>`)
    .join('');

/** The count while it loads, shaped like the app's (components/counter.rs). */
function counterPlaceholder(counter) {
  const toGoal = counter.to_goal.replace('{remaining}', '00.000').replace('{goal}', '00.000');
  return [
    '<div class="counter counter--loading" aria-hidden="true"><p class="count"><span class="count-number"><span class="count-sizer">00.000</span><span class="count-value"></span></span>',
    `<span class="count-label">${escape(counter.label)}</span></p>`,
    `<div class="progress progress--placeholder"><progress max="1" value="0"></progress><p class="progress-text">${escape(toGoal)}</p><ul class="milestones"></ul></div></div>`,
  ].join('');
}

/** The first screen of `/` (and the full text for readers without JavaScript). */
export function firstPaint(copy, base) {
  const { site, petition, counter, form, privacy } = copy;
  const section = (id, title, body, extra = '') =>
    `<section aria-labelledby="${id}"><h2 id="${id}">${escape(title)}</h2>${paragraphs(body)}${extra}</section>`;
  return [
    `<header class="site-header"><a class="site-logo" href="${escape(site.home_url)}" rel="noopener noreferrer">${escape(site.organisation)}</a></header>`,
    '<main id="main" class="first-paint-main"><article class="petition"><div class="petition-top"><div class="petition-lead">',
    `<h1 class="petition-title">${escape(petition.title)}</h1>`,
    counterPlaceholder(counter),
    `<div class="intro">${paragraphs(petition.intro)}</div></div>`,
    `<section class="sign-card" id="teken"><h2 class="sign-title">${escape(form.heading)}</h2>`,
    `<p class="first-paint-status" role="status">${escape(site.loading)}</p><div class="skeleton skeleton--form" aria-hidden="true"></div>`,
    `<p class="no-js-note">${escape(site.noscript)}</p></section></div>`,
    '<div class="petition-body">',
    section('waar', petition.what_title, petition.what_body),
    section('wat-gebeurt', petition.after_title, petition.after_body),
    section('wat-nog-meer', petition.more_title, petition.more_body, `<p><a href="${base}gemeenten">${escape(petition.municipalities_teaser)}</a></p>`),
    section('privacy-kort', privacy.notice_title, privacy.body, `<p><a href="${base}privacy">${escape(privacy.full_statement)}</a></p>`),
    '</div></article></main>',
  ].join('');
}

/** The first screen of `/embed`: count, title, short intro and the sign card's outline. */
export function firstPaintEmbed(copy, base) {
  const { site, petition, counter, form } = copy;
  return [
    '<div class="embed"><div class="embed-inner"><main>',
    counterPlaceholder(counter),
    `<h1 class="petition-title embed-title">${escape(petition.title)}</h1>`,
    `<p class="intro embed-intro">${escape(petition.embed_intro)}</p>`,
    `<p class="read-more"><a href="${base}" target="_blank" rel="noopener">${escape(petition.read_more)}</a></p>`,
    `<section class="sign-card sign-card--embed"><h2 class="sign-title">${escape(form.heading)}</h2>`,
    `<div class="skeleton skeleton--form" aria-hidden="true"></div>`,
    `<p class="no-js-note">${escape(site.noscript)}</p></section>`,
    '</main></div></div>',
  ].join('');
}

/** index.html with the copy filled in. */
export function fillIndex(html, copy, base) {
  const filled = html.replace(/\{\{([a-z_]+)\.([a-z_]+)\}\}/g, (whole, section, key) => {
    const text = copy[section]?.[key];
    if (text === undefined) throw new Error(`index.html uses ${whole}, which locales/nl.toml lacks`);
    return escape(text);
  });
  // The empty <div id="first-paint"> of index.html, as written or as Trunk's minifier leaves it.
  const slot = /(<div\b[^>]*\bid="?first-paint"?(?=[\s>])[^>]*>)<\/div>/;
  if (!slot.test(filled)) throw new Error('index.html lacks the empty <div id="first-paint" class="first-paint"></div>');
  const shells =
    `<div class="first-paint-page">${firstPaint(copy, base)}</div>` +
    `<div class="first-paint-embed">${firstPaintEmbed(copy, base)}</div>`;
  return filled.replace(slot, (_, open) => `${open}${shells}</div>`);
}

export function readCopy(path = 'locales/nl.toml') {
  return parseCopy(readFileSync(path, 'utf8'));
}
