// Accessible names AdminJS's own screens leave out (found by the axe-core scan, test/daywork/accessibility.test.ts):
// icon-only pagination buttons, the list's row checkboxes, react-select inputs whose label is not linked, and two
// colours below WCAG AA contrast. Applied to every page by the Ask Epesi panel (mounted on every page), as the
// DOM changes, because those components are AdminJS's and take no such props.
const NAMES: Record<string, string> = { first: 'First page', previous: 'Previous page', next: 'Next page', last: 'Last page' };

function nameUnnamed(root: ParentNode) {
  root.querySelectorAll<HTMLButtonElement>('button[data-testid]').forEach((b) => {
    const name = NAMES[b.dataset.testid ?? ''];
    if (name && !b.getAttribute('aria-label')) b.setAttribute('aria-label', name);
  });
  // Icon-only buttons of a list (a row's "..." menu, an anchor in AdminJS): named after the row.
  root.querySelectorAll<HTMLElement>('table button:not([aria-label]), table a[data-testid="actions-dropdown"]:not([aria-label])').forEach((b) => {
    if (b.textContent?.trim()) return;
    const row = b.closest('tr')?.querySelector('td:nth-child(2)')?.textContent?.trim();
    b.setAttribute('aria-label', row ? `Actions for ${row}` : 'Actions');
  });
  root.querySelectorAll<HTMLInputElement>('input[name^="filter-"]:not([aria-label])').forEach((i) => {
    i.setAttribute('aria-label', `Filter by ${i.name.slice('filter-'.length).replace(/_id$/, '').replace(/_/g, ' ')}`);
  });
  // Date range filters: two pickers (from, to) under the field's label.
  root.querySelectorAll<HTMLInputElement>('.react-datepicker__input-container input:not([aria-label])').forEach((i) => {
    const group = i.closest('.adminjs_DatePicker')?.parentElement;
    const label = group?.querySelector('label')?.textContent?.trim() ?? 'Date';
    const pickers = group ? Array.from(group.querySelectorAll('.react-datepicker__input-container input')) : [];
    i.setAttribute('aria-label', pickers.length === 2 ? `${label} ${pickers.indexOf(i) === 0 ? 'from' : 'to'}` : label);
  });
  root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]:not([aria-label])').forEach((c) => {
    if (c.labels?.length) return;
    const row = c.closest('tr');
    const title = row?.querySelector('td:nth-child(2)')?.textContent?.trim();
    c.setAttribute('aria-label', row?.closest('thead') ? 'Select all rows' : title ? `Select ${title}` : 'Select row');
  });
  root.querySelectorAll<HTMLInputElement>('input[id^="react-select-"]:not([aria-label])').forEach((input) => {
    const group = input.closest('section, [data-testid^="property-edit-"], label, div[class*="FormGroup"]') ?? input.parentElement?.parentElement?.parentElement;
    const text = group?.querySelector('label')?.textContent?.replace(/^\*\s*/, '').trim();
    input.setAttribute('aria-label', text || 'Choose an option');
  });
}

/** Keyboard: sidebar groups (anchors without href) and list rows (clickable tr) take focus and Enter. */
function keyboardReachable(root: ParentNode) {
  const operable = (el: HTMLElement, role?: string) => {
    if (el.dataset.keyboard) return;
    el.dataset.keyboard = '1';
    el.tabIndex = 0;
    if (role) el.setAttribute('role', role);
    el.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || (role === 'button' && e.key === ' ')) && e.target === el) {
        e.preventDefault();
        el.click();
      }
    });
  };
  root.querySelectorAll<HTMLElement>('[data-css="sidebar-resources"] li > a:not([href])').forEach((a) => operable(a, 'button'));
  root.querySelectorAll<HTMLElement>('table tbody tr[data-id]').forEach((tr) => operable(tr));
  root.querySelectorAll<HTMLElement>('a[data-testid="actions-dropdown"]').forEach(operableMenu);
  // A drawer off screen (the list's filters, closed) holds no focus: inert until it slides in.
  root.querySelectorAll<HTMLElement>('[data-css$="-filter-drawer"]').forEach((d) => {
    const hidden = d.getBoundingClientRect().left >= window.innerWidth - 1;
    if (hidden !== d.inert) d.inert = hidden;
  });
}

/**
 * A row's "..." menu: AdminJS's DropDown opens on hover only (its onMouseEnter), and its trigger is an anchor
 * without href, which takes no focus. Here the trigger is a button in the tab order; Enter or Space opens the
 * menu (the hover React listens for) and focuses its first item, Tab walks the items (links), Escape closes it
 * and returns to the trigger, and focus leaving the menu closes it.
 */
function operableMenu(trigger: HTMLElement) {
  if (trigger.dataset.keyboard) return;
  trigger.dataset.keyboard = '1';
  const box = trigger.parentElement;
  const menu = box?.querySelector<HTMLElement>('.adminjs_DropDownMenu');
  if (!box || !menu) return;
  trigger.tabIndex = 0;
  trigger.setAttribute('role', 'button');
  trigger.setAttribute('aria-haspopup', 'menu');
  trigger.setAttribute('aria-expanded', 'false');
  menu.setAttribute('role', 'menu');
  menu.querySelectorAll('a').forEach((a) => a.setAttribute('role', 'menuitem'));
  // (React derives mouseenter/leave from mouseover/out: from outside the window, and to an element it does not manage)
  const hover = (open: boolean) => {
    box.dispatchEvent(new MouseEvent(open ? 'mouseover' : 'mouseout', { bubbles: true, relatedTarget: open ? null : document.body }));
    trigger.setAttribute('aria-expanded', String(open));
  };
  trigger.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    hover(true);
    requestAnimationFrame(() => menu.querySelector<HTMLElement>('a')?.focus());
  });
  box.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    hover(false);
    trigger.focus();
  });
  box.addEventListener('focusout', (e) => {
    if (!box.contains(e.relatedTarget as Node | null) && trigger.getAttribute('aria-expanded') === 'true') hover(false);
  });
}

const CONTRAST_CSS = `
  [data-css="sidebar"] a.is-active, [data-css="sidebar"] a[href$="admin"] { color: #2f3bb8 !important; }
  .adminjs_Badge { color: #1c1c38 !important; }
  [data-css="app-content"] section label { color: #454655 !important; }
  section[data-css$="-show-email"] a, [data-css="app-content"] a { color: #2438b5; }
`;

let started = false;
export function startAccessibilityFixes() {
  if (started || typeof document === 'undefined') return;
  started = true;
  const style = document.createElement('style');
  style.textContent = CONTRAST_CSS;
  document.head.appendChild(style);
  const apply = () => {
    nameUnnamed(document);
    keyboardReachable(document);
  };
  apply();
  new MutationObserver(apply).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['class', 'style'] });
  document.addEventListener('transitionend', apply);
}
