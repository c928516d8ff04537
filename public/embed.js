/*
 * petitie embed: puts the petition on another site in an iframe that sizes itself.
 *
 *   <div data-petitie-embed></div>
 *   <script src="https://petitie.example.nl/embed.js" async></script>
 *
 * Optional attributes on the div: data-lang="en" (the petition in English), data-title (the
 * iframe's accessible name), data-bg="transparent",
 * data-accent, data-text, data-background (colours like #e4007d) and data-radius (a length like
 * 8px). The host page's sfc and utm_* parameters and its origin travel into the iframe, so the
 * signature is attributed to this page. The petition's own site must list this page's origin
 * in config.json (embed.allowed_origins), or it sends no messages and the iframe keeps its
 * starting height.
 *
 * The host element receives a bubbling "petitie:signed" DOM event (detail: { count }) after a
 * signature. No cookies, no storage, no dependencies.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.src || !window.URL || !window.addEventListener) return;
  // The app lives next to this script (this respects a base path like /petitie/).
  var appBase = new URL('.', script.src);
  var appOrigin = appBase.origin;
  var MIN_HEIGHT = 120;
  var MAX_HEIGHT = 10000;
  var START_HEIGHT = 720;
  var THEME = ['bg', 'accent', 'text', 'background', 'radius'];
  var embeds = [];

  function forwardedParams() {
    var out = [];
    new URL(location.href).searchParams.forEach(function (value, key) {
      if (key === 'sfc' || key.indexOf('utm_') === 0) out.push([key, value]);
    });
    return out;
  }

  function mount(host) {
    if (host.getAttribute('data-petitie-mounted') !== null) return;
    host.setAttribute('data-petitie-mounted', '');
    var english = (host.getAttribute('data-lang') || '').toLowerCase() === 'en';
    var url = new URL(english ? 'en/embed' : 'embed', appBase);
    forwardedParams().forEach(function (pair) {
      url.searchParams.set(pair[0], pair[1]);
    });
    THEME.forEach(function (name) {
      var value = host.getAttribute('data-' + name);
      if (value) url.searchParams.set(name, value);
    });
    url.searchParams.set('parent_origin', location.origin);

    var frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title =
      host.getAttribute('data-title') || (english ? 'Petition: Family support first!' : 'Petitie: Gezinshulp eerst!');
    frame.setAttribute('allow', 'clipboard-write; web-share');
    frame.setAttribute('scrolling', 'no');
    frame.setAttribute('loading', 'lazy');
    frame.style.cssText =
      'display:block;width:100%;border:0;overflow:hidden;height:' + START_HEIGHT + 'px';
    host.appendChild(frame);
    embeds.push({ host: host, frame: frame, step: null });
  }

  function scrollIntoViewIfNeeded(frame) {
    var top = frame.getBoundingClientRect().top;
    if (top >= 0 && top < window.innerHeight / 3) return;
    var reduce = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    frame.scrollIntoView({ block: 'start', behavior: reduce ? 'auto' : 'smooth' });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== appOrigin) return;
    var embed = null;
    for (var i = 0; i < embeds.length; i++) {
      if (embeds[i].frame.contentWindow === event.source) embed = embeds[i];
    }
    var data = event.data;
    if (!embed || !data || typeof data !== 'object' || typeof data.type !== 'string') return;

    if (data.type === 'petitie:resize') {
      var height = Number(data.height);
      if (!isFinite(height)) return;
      height = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)));
      embed.frame.style.height = height + 'px';
    } else if (data.type === 'petitie:step') {
      if (data.step !== 'form' && data.step !== 'thanks') return;
      // The first step is where the iframe starts: only a change moves the host page.
      var changed = embed.step !== null && embed.step !== data.step;
      embed.step = data.step;
      if (changed) scrollIntoViewIfNeeded(embed.frame);
    } else if (data.type === 'petitie:signed') {
      var count = Number(data.count);
      if (!isFinite(count)) return;
      var signed;
      try {
        signed = new CustomEvent('petitie:signed', { bubbles: true, detail: { count: count } });
      } catch (e) {
        return;
      }
      embed.host.dispatchEvent(signed);
    }
  });

  function mountAll() {
    var hosts = document.querySelectorAll('[data-petitie-embed]');
    for (var i = 0; i < hosts.length; i++) mount(hosts[i]);
  }

  mountAll();
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
})();
