// Lists of rows in a form (a delegation's days, a partnership's goals): a
// fieldset per item with a remove button, and an add button after them.
//
//   const goals = listEditor({ title: 'Goal', addLabel: 'Add a goal', items,
//                              row: (item, i) => ({ fields, read }), blank: () => ({}) });
//   form.append(goals.element);  ...  goals.read()  // the items as edited

import { h, uid } from './dom.js';

export function listEditor({ title, addLabel, items, row, blank }) {
  const box = h('div', { class: 'rows' });
  let data = structuredClone(items);
  const add = h('button', { type: 'button', class: 'secondary' }, addLabel);
  const read = () => [...box.children].filter((el) => el.read).map((el) => el.read());
  function draw() {
    box.replaceChildren(
      ...data.map((item, i) => {
        const legendId = uid('row');
        const set = h('fieldset', { class: 'row', 'aria-labelledby': legendId }, h('legend', { id: legendId }, `${title} ${i + 1}`));
        const part = row(item, i);
        set.append(
          ...part.fields,
          h(
            'div',
            { class: 'actions' },
            h(
              'button',
              {
                type: 'button',
                class: 'secondary',
                onclick: () => {
                  data = read();
                  data.splice(i, 1);
                  draw();
                  add.focus();
                },
              },
              `Remove ${title.toLowerCase()} ${i + 1}`,
            ),
          ),
        );
        set.read = part.read;
        return set;
      }),
    );
  }
  add.addEventListener('click', () => {
    data = read();
    data.push(blank());
    draw();
    box.lastElementChild?.querySelector('input')?.focus();
  });
  draw();
  return { element: h('div', {}, box, h('div', { class: 'actions' }, add)), read };
}
