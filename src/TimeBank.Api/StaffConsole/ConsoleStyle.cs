namespace TimeBank.Api.StaffConsole;

/// <summary>
/// The console's stylesheet, in the page itself (nothing fetched from anywhere): one column on a phone, wider on a
/// counter's screen; on paper only the content (the pairing card, the report) without navigation or buttons.
/// </summary>
public static class ConsoleStyle
{
    public const string Css = """
        :root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --brand: #b42318; --ok: #137333; --warn: #b54708; --paper: #fff; }
        * { box-sizing: border-box; }
        body { margin: 0; font-family: "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color: var(--ink); background: #f5f7fa; font-size: 16px; line-height: 1.5; }
        header.bar { background: var(--brand); color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; }
        header.bar a, header.bar button { color: #fff; }
        header.bar .brand { font-weight: 700; text-decoration: none; font-size: 1.1rem; }
        nav.roles { display: flex; flex-wrap: wrap; gap: .25rem .75rem; }
        nav.roles a { text-decoration: none; padding: .25rem .5rem; border-radius: .25rem; }
        nav.roles a.active { background: rgba(255,255,255,.2); }
        .who { margin-left: auto; display: flex; gap: .75rem; align-items: center; font-size: .9rem; }
        .who form { margin: 0; }
        .who button { background: none; border: 1px solid rgba(255,255,255,.6); border-radius: .25rem; padding: .1rem .5rem; cursor: pointer; font: inherit; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr)); gap: .75rem; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem 1rem; }
        .card a.open { display: inline-block; margin-top: .5rem; }
        .figure { font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        .muted { color: var(--muted); font-size: .9rem; }
        table { width: 100%; border-collapse: collapse; background: var(--paper); }
        th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        form.inline { display: inline; }
        label { display: block; margin: .5rem 0 .25rem; font-weight: 600; }
        input, select { font: inherit; padding: .5rem; border: 1px solid #9aa5b1; border-radius: .25rem; width: 100%; max-width: 24rem; background: #fff; }
        input.qty { width: 5rem; }
        button, .button { font: inherit; padding: .55rem 1rem; border-radius: .35rem; border: 1px solid var(--brand); background: var(--brand); color: #fff; cursor: pointer; text-decoration: none; display: inline-block; min-height: 2.75rem; }
        button.quiet, .button.quiet { background: #fff; color: var(--brand); }
        .row-actions { display: flex; flex-wrap: wrap; gap: .5rem; }
        .notice { padding: .75rem 1rem; border-radius: .35rem; margin: .75rem 0; }
        .notice.refused { background: #fef3f2; border: 1px solid #fda29b; color: #912018; }
        .notice.done { background: #ecfdf3; border: 1px solid #75e0a7; color: #05603a; }
        .tag { display: inline-block; padding: 0 .4rem; border-radius: .25rem; background: #fef0c7; color: #93370d; font-size: .85rem; margin: .1rem .2rem .1rem 0; }
        .tag.missed { background: #fee4e2; color: #912018; }
        .code { font-size: 2rem; letter-spacing: .3rem; font-weight: 700; font-variant-numeric: tabular-nums; }
        ol.overdue { list-style: none; padding: 0; margin: 0; }
        ol.overdue > li { background: var(--paper); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; margin-bottom: .5rem; }
        ol.overdue .name { font-weight: 700; font-size: 1.1rem; }
        .pairing-card { background: var(--paper); border: 3px double var(--brand); border-radius: .75rem; padding: 1.5rem; max-width: 34rem; }
        .pairing-card h1 { color: var(--brand); text-align: center; letter-spacing: .2rem; }
        .pairing-card dl { display: grid; grid-template-columns: max-content 1fr; gap: .4rem 1rem; font-size: 1.15rem; }
        .pairing-card dt { color: var(--muted); }
        .pairing-card dd { margin: 0; font-weight: 600; }
        @media (max-width: 40rem) {
            .who { margin-left: 0; width: 100%; justify-content: space-between; }
            table.wide thead { display: none; }
            table.wide td { display: block; border: 0; padding: .15rem .5rem; }
            table.wide tr { display: block; border-bottom: 1px solid var(--line); padding: .4rem 0; }
        }
        @media print {
            @page { size: A5 landscape; margin: 10mm; }
            body { background: #fff; }
            header.bar, .no-print, .notice { display: none !important; }
            main { padding: 0; max-width: none; }
            .pairing-card { border-color: #000; max-width: none; }
        }
        """;
}
