"""The results table (text) and the results file (JSON)."""
import json

from figures import FIGURES, summary

# Columns after the figure: the systems in this order, then the ratios.
RATIOS = [('mica', 'xen', 'Mica/Xen'), ('mica', 'bare', 'Mica/bare')]
MEASURES = [('wall', 'wall s'), ('cpu', 'QEMU CPU s')]


def cell(status, stats, what):
    """"median (min-max)", or why there is no number."""
    if stats is None:
        return status
    s = stats[what]
    text = f'{s["median"]:.1f} ({s["min"]:.1f}-{s["max"]:.1f})'
    if stats['ok_runs'] < stats['runs']:
        text += f' [{stats["runs"] - stats["ok_runs"]} failed]'
    return text


def ratio(results, a, b, figure, what):
    stats_a = results[a]['figures'][figure]['summary']
    stats_b = results[b]['figures'][figure]['summary']
    if not stats_a or not stats_b or not stats_b[what]['median']:
        return '-'
    return f'{stats_a[what]["median"] / stats_b[what]["median"]:.2f}x'


def sample_record(sample):
    """A sample for the JSON: seconds to the millisecond, or the error."""
    if not sample.ok:
        return {'error': sample.error}
    return {'wall': round(sample.wall, 3), 'cpu': round(sample.cpu, 3)}


def figure_results(system, samples_per_run):
    """The JSON record of every figure for one system: status, samples, summary."""
    out = {}
    for figure in FIGURES:
        probe = system.probes[figure.key]
        samples = [run[figure.key] for run in samples_per_run if figure.key in run]
        if not hasattr(probe, 'measure'):
            out[figure.key] = {'status': probe.label, 'samples': [], 'summary': None}
            continue
        stats = summary(samples)
        out[figure.key] = {
            'status': 'measured' if stats else 'failed',
            'samples': [sample_record(s) for s in samples],
            'summary': stats,
        }
    return out


def table(systems, results):
    """The table as text: one row per figure and measure, one column per system and ratio."""
    header = ['figure'] + [s.title for s in systems] + [title for _, _, title in RATIOS]
    rows = []
    for figure in FIGURES:
        for what, label in MEASURES:
            row = [f'{figure.title}, {label}']
            for system in systems:
                record = results[system.key]['figures'][figure.key]
                row.append(cell(record['status'], record['summary'], what))
            present = {s.key for s in systems}
            for a, b, _ in RATIOS:
                row.append(ratio(results, a, b, figure.key, what)
                           if a in present and b in present else '-')
            rows.append(row)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    lines = ['| ' + ' | '.join(c.ljust(w) for c, w in zip(r, widths)) + ' |'
             for r in [header] + rows]
    lines.insert(1, '|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    return '\n'.join(lines)


def write_json(path, document):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + '\n')
