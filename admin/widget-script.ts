// GET /widget.js: the chat widget a website embeds with its assistant's script tag (domain/assistants/embed.ts):
//   <script src="https://crm.example.com/widget.js" data-key="ak_..." async></script>
// Plain ES2017, no dependencies. It renders in a shadow root (the site's CSS cannot break it, nor it the site's),
// shows every text with textContent (never as HTML), keeps the visitor's UUID in localStorage and talks only to
// the endpoint of the origin it was loaded from.
export const WIDGET_SCRIPT = String.raw`(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.getAttribute('data-key')) return;
  var key = script.getAttribute('data-key');
  var base = script.src.replace(/\/widget\.js(\?.*)?$/, '');
  var api = base + '/widget/v1/' + encodeURIComponent(key);
  var storeKey = 'epesi-visitor-' + key;

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  var visitorId;
  try {
    visitorId = localStorage.getItem(storeKey);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(visitorId || '')) {
      visitorId = uuid();
      localStorage.setItem(storeKey, visitorId);
    }
  } catch (e) {
    visitorId = uuid();
  }

  function call(method, path, body) {
    return fetch(api + path, {
      method: method,
      mode: 'cors',
      credentials: 'omit',
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw new Error(json.error || ('The assistant answered ' + res.status));
        return json;
      });
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  var host = el('div', { 'data-epesi-widget': '' });
  var root = host.attachShadow ? host.attachShadow({ mode: 'open' }) : host;
  var style = el('style');
  style.textContent = [
    ':host{all:initial}',
    '.btn{position:fixed;right:20px;bottom:20px;z-index:2147483646;width:56px;height:56px;border-radius:50%;border:0;background:#2563eb;color:#fff;font:600 24px/56px system-ui,sans-serif;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}',
    '.panel{position:fixed;right:20px;bottom:88px;z-index:2147483647;width:340px;max-width:calc(100vw - 40px);height:480px;max-height:calc(100vh - 120px);display:none;flex-direction:column;background:#fff;color:#111;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);font:14px/1.4 system-ui,sans-serif;overflow:hidden}',
    '.panel.open{display:flex}',
    '.head{background:#2563eb;color:#fff;padding:12px 14px;font-weight:600;display:flex;justify-content:space-between;align-items:center}',
    '.head button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}',
    '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}',
    '.msg{max-width:85%;padding:8px 10px;border-radius:10px;white-space:pre-wrap;word-wrap:break-word}',
    '.user{align-self:flex-end;background:#2563eb;color:#fff}',
    '.assistant{align-self:flex-start;background:#f1f5f9}',
    '.error{align-self:center;color:#b91c1c;font-size:12px}',
    '.offer{align-self:flex-start;background:none;border:1px solid #2563eb;color:#2563eb;border-radius:8px;padding:6px 10px;cursor:pointer}',
    'form{display:flex;gap:6px;padding:10px;border-top:1px solid #e5e7eb}',
    'form.lead{flex-direction:column}',
    'input,textarea{flex:1;border:1px solid #cbd5e1;border-radius:8px;padding:8px;font:inherit}',
    'form button{background:#2563eb;color:#fff;border:0;border-radius:8px;padding:8px 12px;cursor:pointer}'
  ].join('\n');
  var button = el('button', { 'class': 'btn', 'aria-label': 'Chat with us', type: 'button' }, '?');
  var panel = el('div', { 'class': 'panel', role: 'dialog' });
  var head = el('div', { 'class': 'head' });
  var title = el('span', {}, 'Chat');
  var close = el('button', { type: 'button', 'aria-label': 'Close' }, '\u00d7');
  head.appendChild(title);
  head.appendChild(close);
  var log = el('div', { 'class': 'log', 'aria-live': 'polite' });
  var form = el('form');
  var input = el('input', { type: 'text', maxlength: '2000', placeholder: 'Type your question...', 'aria-label': 'Your message' });
  form.appendChild(input);
  form.appendChild(el('button', { type: 'submit' }, 'Send'));
  panel.appendChild(head);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(style);
  root.appendChild(panel);
  root.appendChild(button);

  var config = { greeting: '', leadForm: { fields: ['name', 'email', 'company', 'phone'], required: ['name', 'email'] } };
  var leadCaptured = false;
  var loaded = false;

  function show(role, text) {
    var m = el('div', { 'class': 'msg ' + role }, text);
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }
  function showError(err) {
    log.appendChild(el('div', { 'class': 'error' }, err.message || String(err)));
    log.scrollTop = log.scrollHeight;
  }
  function offerLeadForm() {
    if (leadCaptured || root.querySelector('form.lead') || root.querySelector('.offer')) return;
    var offer = el('button', { 'class': 'offer', type: 'button' }, 'Leave your details');
    offer.addEventListener('click', function () { offer.remove(); openLeadForm(); });
    log.appendChild(offer);
    log.scrollTop = log.scrollHeight;
  }
  function openLeadForm() {
    var lead = el('form', { 'class': 'lead' });
    var labels = { name: 'Your name', email: 'Email', company: 'Company', phone: 'Phone' };
    var types = { email: 'email', phone: 'tel' };
    config.leadForm.fields.forEach(function (f) {
      var attrs = { name: f, placeholder: labels[f] || f, type: types[f] || 'text', maxlength: f === 'email' ? '254' : '200' };
      if (config.leadForm.required.indexOf(f) >= 0) attrs.required = '';
      lead.appendChild(el('input', attrs));
    });
    lead.appendChild(el('button', { type: 'submit' }, 'Send my details'));
    lead.addEventListener('submit', function (e) {
      e.preventDefault();
      var details = {};
      config.leadForm.fields.forEach(function (f) {
        var v = lead.querySelector('[name="' + f + '"]').value.trim();
        if (v) details[f] = v;
      });
      call('POST', '/messages', { visitorId: visitorId, type: 'lead_form', lead: details }).then(function (r) {
        lead.remove();
        leadCaptured = true;
        show('user', r.message.content);
        show('assistant', r.reply.content);
      }, showError);
    });
    panel.insertBefore(lead, form);
  }

  function load() {
    if (loaded) return;
    loaded = true;
    call('GET', '/config').then(function (c) {
      config = c;
      title.textContent = c.name;
      return call('GET', '/messages?visitorId=' + encodeURIComponent(visitorId));
    }).then(function (h) {
      leadCaptured = h.leadCaptured;
      if (!h.messages.length && config.greeting) show('assistant', config.greeting);
      h.messages.forEach(function (m) { show(m.role, m.content); });
    }).catch(showError);
  }

  button.addEventListener('click', function () {
    panel.classList.toggle('open');
    if (panel.classList.contains('open')) { load(); input.focus(); }
  });
  close.addEventListener('click', function () { panel.classList.remove('open'); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    show('user', text);
    call('POST', '/messages', { visitorId: visitorId, content: text }).then(function (r) {
      show('assistant', r.reply.content);
      if (r.reply.offerLeadForm) offerLeadForm();
    }, showError);
  });

  (document.body || document.documentElement).appendChild(host);
})();
`;
