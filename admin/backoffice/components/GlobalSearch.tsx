// The top bar with the global search (GET /api/search, admin/search-routes.ts): a box opened from anywhere
// with Ctrl+K (Cmd+K) or "/", results grouped by resource under their titles, each opening its record page.
// AdminJS's own top bar renders the rest (menu button, signed-in user); the box sits over its empty left side.
import React, { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { api } from './api';

type Hit = { id: number; title: string; href: string };
type Group = { resource: string; label: string; hits: Hit[]; more: boolean; listHref: string };
type Props = { OriginalComponent?: React.ComponentType<any>; [key: string]: unknown };

const WAIT_MS = 200; // typing pauses this long before a search is sent
const MAX_LENGTH = 100; // as the server's MAX_SEARCH_LENGTH

/** Whether a key press was meant for a field being typed in ("/" there is a slash, not the shortcut). */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

const css = `
.gsearch { position: absolute; top: 0; left: 24px; height: 100%; display: flex; align-items: center; z-index: 40; }
@media (max-width: 1199px) { .gsearch { left: 72px; } }
.gsearch input { width: 340px; max-width: calc(100vw - 260px); height: 36px; padding: 0 12px; border: 1px solid #C0C0CA; border-radius: 4px; font-size: 14px; background: #fff; }
.gsearch input:focus { outline: 2px solid #4268F6; border-color: #4268F6; }
.gsearch-panel { position: absolute; top: 52px; left: 0; width: 440px; max-width: calc(100vw - 40px); max-height: 70vh; overflow-y: auto; background: #fff; border: 1px solid #C0C0CA; border-radius: 4px; box-shadow: 0 4px 16px rgba(0,0,0,0.15); padding: 8px 0; }
.gsearch-group { padding: 6px 16px 2px; font-size: 11px; font-weight: 700; letter-spacing: 0.05em; text-transform: uppercase; color: #6B6B7B; }
.gsearch-panel a { display: block; padding: 6px 16px; color: #1C1C38; text-decoration: none; font-size: 14px; }
.gsearch-panel a.more { color: #4268F6; font-size: 13px; }
.gsearch-panel a[aria-selected="true"], .gsearch-panel a:hover { background: #EEF1FE; }
.gsearch-note { padding: 8px 16px; color: #6B6B7B; font-size: 14px; }
`;

const GlobalSearch: React.FC<Props> = (props) => {
  const { OriginalComponent, ...rest } = props;
  const navigate = useNavigate();
  const input = useRef<HTMLInputElement>(null);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);

  // Ctrl+K / Cmd+K anywhere, "/" outside a field: to the search box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const combo = (e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k';
      if (!combo && !(e.key === '/' && !typing(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey)) return;
      e.preventDefault();
      input.current?.focus();
      input.current?.select();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // The search, once typing pauses; an answer to an older phrase is dropped.
  useEffect(() => {
    const phrase = q.trim();
    setActive(0);
    if (!phrase) return setGroups(null);
    let current = true;
    const timer = setTimeout(() => {
      api<{ groups: Group[] }>(`/api/search?q=${encodeURIComponent(phrase)}`)
        .then((body) => current && (setGroups(body.groups), setError(null)))
        .catch((err: Error) => current && setError(err.message));
    }, WAIT_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [q]);

  const links = (groups ?? []).flatMap((g) => [...g.hits.map((h) => h.href), ...(g.more ? [g.listHref] : [])]);
  const go = (href: string) => {
    setOpen(false);
    input.current?.blur();
    navigate(href);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') return setOpen(false), input.current?.blur();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (links.length) setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : links.length - 1)) % links.length);
    }
    if (e.key === 'Enter' && links[active]) go(links[active]!);
  };
  const link = (href: string, text: string, className?: string) => (
    <a
      key={href}
      href={href}
      className={className}
      role="option"
      aria-selected={links.indexOf(href) === active}
      onMouseDown={(e) => e.preventDefault() /* (keeps the box focused until the click lands) */}
      onClick={(e) => {
        if (e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab, as any link
        e.preventDefault();
        go(href);
      }}
    >
      {text}
    </a>
  );

  const phrase = q.trim();
  return (
    <div style={{ position: 'relative', flexShrink: 0 }}>
      {OriginalComponent ? <OriginalComponent {...rest} /> : null}
      <style>{css}</style>
      <div className="gsearch" role="search">
        <input
          ref={input}
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-label="Search everything"
          placeholder="Search everything (Ctrl+K or /)"
          maxLength={MAX_LENGTH}
          value={q}
          onChange={(e) => (setQ(e.target.value), setOpen(true))}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          aria-expanded={open && !!phrase}
          aria-controls="gsearch-results"
        />
        {open && phrase ? (
          <div className="gsearch-panel" id="gsearch-results" role="listbox" aria-label="Search results">
            {error ? <div className="gsearch-note">{error}</div> : null}
            {!error && groups === null ? <div className="gsearch-note">Searching…</div> : null}
            {!error && groups?.length === 0 ? <div className="gsearch-note">Nothing you may see matches “{phrase}”.</div> : null}
            {(groups ?? []).map((g) => (
              <div key={g.resource} role="group" aria-label={g.label}>
                <div className="gsearch-group">{g.label}</div>
                {g.hits.map((h) => link(h.href, h.title))}
                {g.more ? link(g.listHref, `All ${g.label.toLowerCase()} matching “${phrase}” →`, 'more') : null}
              </div>
            ))}
          </div>
        ) : null}
      </div>
    </div>
  );
};

export default GlobalSearch;
