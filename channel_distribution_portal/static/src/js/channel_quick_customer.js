/** @odoo-module **/
// Copyright 2026 channel_distribution authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { _t } from "@web/core/l10n/translation";

/**
 * The dialog of the order form that adds an end customer on the spot: the
 * server checks and creates it (/my/channel/customers/quick_create), then
 * the new customer becomes the selected end customer of the order and the
 * lines already typed are priced for it. Without this widget the dialog's
 * form posts to the end customer page, which comes back to a new order.
 */
publicWidget.registry.ChannelQuickCustomer = publicWidget.Widget.extend({
    selector: ".o_channel_quick_customer",
    events: {
        "submit .o_channel_quick_customer_form": "_onSubmit",
    },

    start() {
        this.form = this.el.querySelector(".o_channel_quick_customer_form");
        this._onShown = () => this.form.querySelector("input[name='name']").focus();
        this.el.addEventListener("shown.bs.modal", this._onShown);
        return this._super(...arguments);
    },

    destroy() {
        this.el.removeEventListener("shown.bs.modal", this._onShown);
        this._super(...arguments);
    },

    _values() {
        const data = new FormData(this.form);
        // Every field of the dialog; the server keeps the ones it knows.
        const values = Object.fromEntries(data.entries());
        values.is_company = data.get("is_company") === "1";
        values.confirm_duplicate = data.get("confirm_duplicate") === "1";
        return values;
    },

    _showError(message, duplicates) {
        const box = this.el.querySelector(".o_channel_quick_customer_error");
        box.textContent = message || "";
        box.classList.toggle("d-none", !message);
        const list = this.el.querySelector(".o_channel_quick_customer_duplicates");
        list.replaceChildren(
            ...(duplicates || []).map((name) => {
                const item = document.createElement("li");
                item.textContent = name;
                return item;
            })
        );
        list.classList.toggle("d-none", !(duplicates && duplicates.length));
        const confirm = this.el.querySelector(".o_channel_quick_customer_confirm");
        if (duplicates && duplicates.length) {
            confirm.classList.remove("d-none");
        }
    },

    _reset() {
        this.form.reset();
        this._showError("");
        this.el.querySelector(".o_channel_quick_customer_confirm").classList.add("d-none");
    },

    /**
     * Add the customer to the order form's select, in name order, select it
     * and let the order form price its lines for it.
     */
    _selectCustomer(customer) {
        const select = document.querySelector("select.o_channel_end_customer");
        if (!select) {
            return;
        }
        let option = [...select.options].find((opt) => opt.value === String(customer.id));
        if (!option) {
            option = document.createElement("option");
            option.value = String(customer.id);
            option.textContent = customer.name;
            const next = [...select.options].find(
                (opt) => opt.value && opt.textContent.localeCompare(customer.name) > 0
            );
            select.insertBefore(option, next || null);
        }
        select.value = option.value;
        select.dispatchEvent(new Event("change", { bubbles: true }));
    },

    async _onSubmit(ev) {
        ev.preventDefault();
        const button = this.el.querySelector(".o_channel_quick_customer_save");
        button.setAttribute("disabled", "disabled");
        let result;
        try {
            result = await rpc("/my/channel/customers/quick_create", this._values());
        } catch {
            result = { error: _t("The end customer could not be saved. Try again.") };
        } finally {
            button.removeAttribute("disabled");
        }
        if (result.error) {
            this._showError(result.error, result.duplicates);
            return;
        }
        this._selectCustomer(result);
        this._reset();
        window.Modal.getOrCreateInstance(this.el).hide();
    },
});

export default publicWidget.registry.ChannelQuickCustomer;
