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

    // autocomplete.js starts select2 in a jQuery ready handler (run after DOMContentLoaded, at
    // times even after "load"); this script is deferred, so its ready handler comes after it.
    function start() { labelSelect2(document); }
    if (window.django && window.django.jQuery) {
        window.django.jQuery(start);
    } else {
        window.addEventListener('load', start);
    }
    document.addEventListener('formset:added', function(event) {
        setTimeout(function() { labelSelect2(event.target); }, 0);
    });
})();
