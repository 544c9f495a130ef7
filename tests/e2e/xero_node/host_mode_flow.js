// An integrator's xero-node code, as Xero's docs write it: nothing in it knows about the gateway. The test runs it
// with xero_hosts.js preloaded (Xero's hostnames → the gateway) and the test CA trusted (NODE_EXTRA_CA_CERTS).
//
// Input: env APP (JSON: client_id, client_secret, redirect_uri, cc_client_id, cc_client_secret, cc_tenant_id);
// the callback URL of the consent, one line on stdin, after this script printed {"consentUrl": …}.
// Output: one JSON line per step on stdout; exit status 1 with the error on stderr when a call fails.
"use strict";
const readline = require("node:readline");
const { XeroClient, Invoice } = require("xero-node");

const app = JSON.parse(process.env.APP);
const say = (step, value) => console.log(JSON.stringify({ step, ...value }));

function firstLine() {
  const rl = readline.createInterface({ input: process.stdin });
  return new Promise((resolve) => rl.once("line", (line) => { rl.close(); resolve(line.trim()); }));
}

async function main() {
  const xero = new XeroClient({
    clientId: app.client_id, clientSecret: app.client_secret, redirectUris: [app.redirect_uri],
    scopes: "openid profile email accounting.transactions accounting.contacts accounting.settings offline_access".split(" "),
    state: "host-mode-state",
  });
  await xero.initialize();
  say("initialize", { issuer: xero.openIdClient.issuer.issuer });
  say("consent", { consentUrl: await xero.buildConsentUrl() });

  const tokenSet = await xero.apiCallback(await firstLine());
  say("apiCallback", { claims: tokenSet.claims(), hasRefreshToken: Boolean(tokenSet.refresh_token) });

  const tenants = await xero.updateTenants();
  say("updateTenants", { tenants: tenants.map((t) => ({ id: t.id, tenantId: t.tenantId, name: t.orgData.name })) });
  const tenantId = tenants[0].tenantId;

  const orgs = await xero.accountingApi.getOrganisations(tenantId);
  say("getOrganisations", { name: orgs.body.organisations[0].name });
  const invoices = await xero.accountingApi.getInvoices(tenantId);
  say("getInvoices", { count: invoices.body.invoices.length });

  const contacts = await xero.accountingApi.getContacts(tenantId);
  const accounts = await xero.accountingApi.getAccounts(tenantId, undefined, 'Type=="REVENUE"');
  const created = await xero.accountingApi.createInvoices(tenantId, { invoices: [{
    type: Invoice.TypeEnum.ACCREC, contact: { contactID: contacts.body.contacts[0].contactID },
    lineItems: [{ description: "Host mode", quantity: 2, unitAmount: 12.5, accountCode: accounts.body.accounts[0].code }],
    date: "2026-12-01", dueDate: "2026-12-31", status: Invoice.StatusEnum.DRAFT,
  }] });
  const invoice = created.body.invoices[0];
  say("createInvoices", { invoiceID: invoice.invoiceID, subTotal: invoice.subTotal, status: String(invoice.status) });

  const refreshed = await xero.refreshWithRefreshToken(app.client_id, app.client_secret, tokenSet.refresh_token);
  const again = await xero.accountingApi.getInvoice(tenantId, invoice.invoiceID);
  say("refreshWithRefreshToken", { rotated: refreshed.refresh_token !== tokenSet.refresh_token,
    newAccessToken: refreshed.access_token !== tokenSet.access_token, invoiceID: again.body.invoices[0].invoiceID });

  await xero.disconnect(tenants[0].id);
  say("disconnect", { tenants: (await xero.updateTenants(false)).length });

  const custom = new XeroClient({ clientId: app.cc_client_id, clientSecret: app.cc_client_secret,
    grantType: "client_credentials", scopes: ["accounting.transactions", "accounting.settings"] });
  const cc = await custom.getClientCredentialsToken();
  const ccOrgs = await custom.accountingApi.getOrganisations(app.cc_tenant_id);
  say("getClientCredentialsToken", { tokenType: cc.token_type, expiresIn: cc.expires_in,
    name: ccOrgs.body.organisations[0].name });
}

main().then(() => process.stdin.destroy()).catch((error) => {
  const detail = error && error.response ? { status: error.response.statusCode || error.response.status,
    body: error.response.body || error.response.data } : {};
  console.error(error && error.stack ? error.stack : error, JSON.stringify(detail));
  process.exit(1);
});
