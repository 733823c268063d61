/* Admin accessibility: select2 boxes (autocomplete fields) get the name of their field.
   select2 names its combobox after the chosen value only, so an empty box had no name at all;
   here the combobox and its text are labelled by the field's <label> (or, in a tabular inline
   row, by the select's aria-label) followed by the chosen value. */
'use strict';
(function() {
    function labelFor(select) {
        let label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
        if (label) {
            if (!label.id) { label.id = select.id + '-label'; }
            return label.id;
        }
        const text = select.getAttribute('aria-label');
        if (!text) { return null; }
        const span = document.createElement('span');
        span.id = (select.id || select.name) + '-label';
        span.hidden = true;
        span.textContent = text;
        select.parentNode.insertBefore(span, select);
        return span.id;
    }

    function labelSelect2(root) {
        root.querySelectorAll('select.admin-autocomplete, select.select2-hidden-accessible').forEach(function(select) {
            const container = select.nextElementSibling;
            if (!container || !container.classList.contains('select2')) { return; }
            const box = container.querySelector('.select2-selection[role=combobox]');
            const rendered = container.querySelector('.select2-selection__rendered');
            if (!box || box.dataset.labelled) { return; }
            const labelId = labelFor(select);
            if (!labelId) { return; }
            const ids = rendered && rendered.id ? labelId + ' ' + rendered.id : labelId;
            box.setAttribute('aria-labelledby', ids);
            if (rendered) { rendered.setAttribute('aria-labelledby', ids); }
            box.dataset.labelled = '1';
        });
    }

    // SelectFilter2.js (filter_horizontal) puts aria-label on a bare <span> search icon, which
    // has no role to carry a name: it is an image of a magnifier.
    function nameFilterIcons(root) {
        root.querySelectorAll('.selector span.help-tooltip[aria-label]:not([role])').forEach(function(icon) {
            icon.setAttribute('role', 'img');
        });
    }

    // A split date-time field (AdminSplitDateTime) writes "日期:" / "时间:" as bare text before its two
    // boxes and its field label points at neither (the form renderer cannot be overridden from
    // the project's templates): each box is named "<field label> <its own text>".
    function labelSplitDateTimes(root) {
        root.querySelectorAll('p.datetime').forEach(function(p) {
            const row = p.closest('.form-row, .fieldBox, td');
            const field = row ? row.querySelector('label') : null;
            p.querySelectorAll('input').forEach(function(input) {
                if (input.labels.length || input.hasAttribute('aria-label')) { return; }
                let text = input.previousSibling;
                while (text && text.nodeType !== Node.TEXT_NODE) { text = text.previousSibling; }
                const own = text ? text.textContent.trim().replace(/[:：]$/, '') : '';
                const name = [field ? field.textContent.trim().replace(/[:：]$/, '') : '', own].join(' ').trim();
                if (name) { input.setAttribute('aria-label', name); }
            });
        });
    }

    // autocomplete.js starts select2 in a jQuery ready handler (run after DOMContentLoaded, at
    // times even after "load"); this script is deferred, so its ready handler comes after it.
    // SelectFilter2.js builds its boxes on "load". Both passes are idempotent.
    function start() { labelSelect2(document); nameFilterIcons(document); labelSplitDateTimes(document); }
    if (window.django && window.django.jQuery) { window.django.jQuery(start); }
    window.addEventListener('load', function() { setTimeout(start, 0); });
    document.addEventListener('formset:added', function(event) {
        setTimeout(function() { labelSelect2(event.target); nameFilterIcons(event.target); }, 0);
    });
})();
