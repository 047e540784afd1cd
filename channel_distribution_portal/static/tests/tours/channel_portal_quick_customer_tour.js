/** @odoo-module **/
// Copyright 2026 channel_distribution authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

/**
 * Save the dialog, then check that it closed and that the customer it
 * created is the order's selected end customer.
 */
function saveAndSelectedSteps(name) {
    return [
        {
            trigger: ".o_channel_quick_customer.show button.o_channel_quick_customer_save",
            run: "click",
        },
        {
            content: "the dialog is closed",
            trigger: "body:not(.modal-open)",
        },
        {
            content: `${name} is the selected end customer`,
            trigger: "select.o_channel_end_customer",
            run({ anchor }) {
                const selected = anchor.options[anchor.selectedIndex];
                if (!selected || selected.textContent.trim() !== name) {
                    throw new Error(
                        `expected ${name} selected, got ${selected && selected.textContent}`
                    );
                }
            },
        },
    ];
}

// The demo distributor (Northwind, Gold price book: 20% off list price)
// types a line, then adds the end customer from the order form's dialog:
// first refused as a likely duplicate of Acme Logistics (same email), then
// created anyway. The new customer is selected, the line is kept and
// priced for it, and the order is submitted.
registry.category("web_tour.tours").add("channel_distribution_portal_quick_customer", {
    url: "/my/channel/orders/new",
    steps: () => [
        {
            content: "type a line before choosing the end customer",
            trigger: ".o_channel_line:nth-child(1) select.o_channel_product",
            run: "selectByLabel Cloud Backup",
        },
        {
            trigger: ".o_channel_line:nth-child(1) input.o_channel_quantity",
            run: "edit 3",
        },
        {
            content: "no end customer yet: the line is not priced",
            trigger: ".o_channel_line:nth-child(1) .o_channel_price_unit:empty",
        },
        {
            content: "open the dialog",
            trigger: "a.o_channel_quick_customer_open",
            run: "click",
        },
        {
            trigger: ".o_channel_quick_customer.show input[name='name']",
            run: "edit Quick Tour Cafe",
        },
        {
            trigger: ".o_channel_quick_customer.show input[name='email']",
            run: "edit it@acme-logistics.example.com",
        },
        {
            trigger: ".o_channel_quick_customer.show input[name='city']",
            run: "edit Utrecht",
        },
        {
            trigger: ".o_channel_quick_customer.show button.o_channel_quick_customer_save",
            run: "click",
        },
        {
            content: "same email as Acme Logistics: pointed out, nothing created",
            trigger:
                ".o_channel_quick_customer.show .o_channel_quick_customer_duplicates li:contains('Acme Logistics')",
        },
        {
            trigger: ".o_channel_quick_customer.show input[name='confirm_duplicate']",
            run: "click",
        },
        ...saveAndSelectedSteps("Quick Tour Cafe"),
        {
            content: "the line typed before is still there, priced: 480.00 less 20%",
            trigger: ".o_channel_line:nth-child(1) .o_channel_price_unit:contains('384.00')",
        },
        {
            content: "3 x 384.00",
            trigger: ".o_channel_amount_untaxed:contains('1,152.00')",
        },
        {
            trigger: "input[name='client_order_ref']",
            run: "edit TOUR-QC-1",
        },
        {
            trigger: "button.o_channel_submit_order",
            run: "click",
        },
        {
            content: "the order page of the new order",
            trigger: "#sale_info_table:contains('Quick Tour Cafe')",
        },
        {
            // The order page loads its chatter lazily; ending the tour
            // before it is mounted aborts that load and logs an error.
            content: "the chatter of the order is loaded",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
    ],
});

// The same distributor edits a quotation it entered for Acme Logistics and
// moves it to an end customer it adds from the dialog: the line stays, priced
// for the new customer, and the saved quotation is for that customer.
registry.category("web_tour.tours").add("channel_distribution_portal_quick_customer_edit", {
    steps: () => [
        {
            content: "the quotation's line is there",
            trigger: ".o_channel_line:nth-child(1) .o_channel_price_unit:contains('384.00')",
        },
        {
            content: "open the dialog from the quotation",
            trigger: "a.o_channel_quick_customer_open",
            run: "click",
        },
        {
            trigger: ".o_channel_quick_customer.show input[name='name']",
            run: "edit Edit Tour Bistro",
        },
        ...saveAndSelectedSteps("Edit Tour Bistro"),
        {
            content: "the line is still there, priced for the new customer",
            trigger: ".o_channel_amount_untaxed:contains('768.00')",
        },
        {
            trigger: "button.o_channel_submit_order",
            run: "click",
        },
        {
            content: "the quotation page shows the new end customer",
            trigger: "#sale_info_table:contains('Edit Tour Bistro')",
        },
        {
            content: "the chatter of the quotation is loaded",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
    ],
});
