/** @odoo-module **/
// Copyright 2026 channel_distribution authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import publicWidget from "@web/legacy/js/public/public_widget";
import { rpc } from "@web/core/network/rpc";
import { debounce } from "@web/core/utils/timing";

/**
 * The distributor's order form: add and remove lines without a reload and
 * show the server's prices (price book, discount, taxes, totals) as the
 * lines change. The server prices again on submit; nothing here is trusted.
 */
publicWidget.registry.ChannelOrderForm = publicWidget.Widget.extend({
    selector: ".o_channel_order_form",
    events: {
        "click .o_channel_add_line": "_onAddLine",
        "click .o_channel_remove_line": "_onRemoveLine",
        "change .o_channel_product, .o_channel_end_customer": "_onChange",
        "input .o_channel_quantity": "_onChange",
        "submit": "_onSubmit",
    },

    start() {
        this.tbody = this.el.querySelector(".o_channel_lines");
        this.blankRow = this.tbody.querySelector(".o_channel_line").cloneNode(true);
        this._resetRow(this.blankRow);
        this._schedulePrice = debounce(this._price.bind(this), 300);
        this._price();
        return this._super(...arguments);
    },

    _resetRow(row) {
        row.querySelector(".o_channel_product").value = "";
        row.querySelector(".o_channel_quantity").value = "1";
        for (const cell of row.querySelectorAll(
            ".o_channel_list_price, .o_channel_price_unit, .o_channel_discount, .o_channel_taxes, .o_channel_subtotal"
        )) {
            cell.textContent = "";
        }
    },

    _onAddLine(ev) {
        ev.preventDefault();
        const row = this.blankRow.cloneNode(true);
        this.tbody.appendChild(row);
        row.querySelector(".o_channel_product").focus();
    },

    _onRemoveLine(ev) {
        ev.preventDefault();
        ev.currentTarget.closest(".o_channel_line").remove();
        if (!this.tbody.querySelector(".o_channel_line")) {
            this.tbody.appendChild(this.blankRow.cloneNode(true));
        }
        this._schedulePrice();
    },

    _onChange() {
        this._schedulePrice();
    },

    _onSubmit() {
        // A second click would post the same form token: the server would
        // return the same order anyway, but spare it the work.
        const button = this.el.querySelector(".o_channel_submit_order");
        if (button) {
            setTimeout(() => button.setAttribute("disabled", "disabled"));
        }
    },

    _filledRows() {
        return [...this.tbody.querySelectorAll(".o_channel_line")].filter(
            (row) => row.querySelector(".o_channel_product").value
        );
    },

    _setTotals(summary) {
        const set = (selector, value) => {
            this.el.querySelector(selector).textContent = value || "";
        };
        set(".o_channel_amount_untaxed", summary && summary.amount_untaxed_fmt);
        set(".o_channel_amount_tax", summary && summary.amount_tax_fmt);
        set(".o_channel_amount_total", summary && summary.amount_total_fmt);
    },

    _showError(message) {
        const box = this.el.querySelector(".o_channel_price_error");
        box.textContent = message || "";
        box.classList.toggle("d-none", !message);
    },

    async _price() {
        const customer = this.el.querySelector(".o_channel_end_customer").value;
        const rows = this._filledRows();
        for (const row of this.tbody.querySelectorAll(".o_channel_line")) {
            if (!rows.includes(row)) {
                this._resetCells(row);
            }
        }
        if (!customer || !rows.length) {
            this._showError("");
            this._setTotals(null);
            return;
        }
        const lines = rows.map((row) => ({
            product_id: row.querySelector(".o_channel_product").value,
            quantity: row.querySelector(".o_channel_quantity").value,
        }));
        const request = (this._lastRequest = {});
        const result = await rpc("/my/channel/orders/price", {
            end_customer_id: customer,
            lines,
        });
        if (request !== this._lastRequest) {
            return; // a newer request is on its way
        }
        if (result.error) {
            this._showError(result.error);
            this._setTotals(null);
            rows.forEach((row) => this._resetCells(row));
            return;
        }
        this._showError("");
        rows.forEach((row, index) => {
            const line = result.lines[index];
            if (!line) {
                this._resetCells(row);
                return;
            }
            row.querySelector(".o_channel_list_price").textContent = line.list_price_fmt;
            row.querySelector(".o_channel_price_unit").textContent = line.price_unit_fmt;
            row.querySelector(".o_channel_discount").textContent = `${line.discount}%`;
            row.querySelector(".o_channel_taxes").textContent = line.taxes;
            row.querySelector(".o_channel_subtotal").textContent = line.price_subtotal_fmt;
        });
        this._setTotals(result);
    },

    _resetCells(row) {
        for (const cell of row.querySelectorAll(
            ".o_channel_list_price, .o_channel_price_unit, .o_channel_discount, .o_channel_taxes, .o_channel_subtotal"
        )) {
            cell.textContent = "";
        }
    },
});

export default publicWidget.registry.ChannelOrderForm;
