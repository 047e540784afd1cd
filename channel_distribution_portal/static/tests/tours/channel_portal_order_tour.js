/** @odoo-module **/
// Copyright 2026 channel_distribution authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import { registry } from "@web/core/registry";

// The demo distributor (Northwind, Gold price book: 20% off list price) adds
// an end customer, orders two lines for it and finds the order in its list.
registry.category("web_tour.tours").add("channel_distribution_portal_order", {
    url: "/my",
    steps: () => [
        {
            content: "open the end customers",
            trigger: "a[href='/my/channel/customers']",
            run: "click",
        },
        {
            content: "add an end customer",
            trigger: "a.o_channel_new_customer",
            run: "click",
        },
        {
            trigger: "input[name='name']",
            run: "edit Tour Bakery Ltd",
        },
        {
            trigger: "input[name='email']",
            run: "edit it@tour-bakery.example.com",
        },
        {
            trigger: "input[name='city']",
            run: "edit Delft",
        },
        {
            trigger: "button.o_channel_customer_save",
            run: "click",
        },
        {
            content: "the new end customer is listed; order for it",
            trigger: "tr:has(a:contains('Tour Bakery Ltd')) a:contains('New order')",
            run: "click",
        },
        {
            trigger: "select.o_channel_end_customer",
            run: "selectByLabel Tour Bakery Ltd",
        },
        {
            trigger: ".o_channel_line:nth-child(1) select.o_channel_product",
            run: "selectByLabel Cloud Backup",
        },
        {
            trigger: ".o_channel_line:nth-child(1) input.o_channel_quantity",
            run: "edit 2",
        },
        {
            content: "price book price: 480.00 less 20%",
            trigger: ".o_channel_line:nth-child(1) .o_channel_price_unit:contains('384.00')",
        },
        {
            trigger: "button.o_channel_add_line",
            run: "click",
        },
        {
            trigger: ".o_channel_line:nth-child(2) select.o_channel_product",
            run: "selectByLabel Secure Mail",
        },
        {
            trigger: ".o_channel_line:nth-child(2) input.o_channel_quantity",
            run: "edit 10",
        },
        {
            content: "second line priced: 60.00 less 20%",
            trigger: ".o_channel_line:nth-child(2) .o_channel_price_unit:contains('48.00')",
        },
        {
            content: "totals: 2 x 384 + 10 x 48 = 1,248.00 untaxed",
            trigger: ".o_channel_amount_untaxed:contains('1,248.00')",
        },
        {
            trigger: "input[name='client_order_ref']",
            run: "edit TOUR-PO-1",
        },
        {
            trigger: "button.o_channel_submit_order",
            run: "click",
        },
        {
            content: "the order page of the new order",
            trigger: "#sale_info_table:contains('Tour Bakery Ltd')",
        },
        {
            // Leave only once the lazily loaded chatter is mounted, so that
            // its bundle is not cut off half-way.
            content: "the chatter of the order is loaded",
            trigger: "#chatterRoot:shadow .o-mail-Chatter",
        },
        {
            content: "back to the portal home",
            trigger: ".o_portal_submenu a[href='/my/home']",
            run: "click",
        },
        {
            content: "open the quotations (the order waits for the vendor)",
            trigger: ".o_portal_index_card a[href='/my/quotes']",
            run: "click",
        },
        {
            content: "the order is listed with its end customer",
            trigger: "td.o_channel_end_customer_cell:contains('Tour Bakery Ltd')",
        },
    ],
});
