import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useLang } from '../../i18n/LangProvider';
import { COUNT_METRICS, METRIC_LABELS, RATIO_METRICS, type ScoreRow } from './scorecard';

// Tree-shaken ECharts: only what these two charts draw. (`echarts-for-react/lib/core` breaks in the
// production build; the esm entry is the one that works.)
echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

export function ScorecardCharts({ rows }: { rows: readonly ScoreRow[] }) {
  const { t } = useLang();
  const months = [...new Set(rows.map((r) => r.month))];
  const avg = (
    month: string,
    k: (typeof RATIO_METRICS)[number] | (typeof COUNT_METRICS)[number],
    sum: boolean,
  ) => {
    const vs = rows
      .filter((r) => r.month === month)
      .map((r) => r.values[k])
      .filter((v): v is number => v !== undefined);
    if (!vs.length) return null;
    const total = vs.reduce((a, b) => a + b, 0);
    return sum ? total : Math.round((total / vs.length) * 10) / 10;
  };
  const ratios = {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v}%` },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
    series: RATIO_METRICS.map((k) => ({
      name: t(METRIC_LABELS[k]),
      type: 'line',
      smooth: true,
      data: months.map((mo) => avg(mo, k, false)),
    })),
  };
  const counts = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: months },
    yAxis: { type: 'value' },
    series: COUNT_METRICS.map((k) => ({
      name: t(METRIC_LABELS[k]),
      type: 'bar',
      data: months.map((mo) => avg(mo, k, true)),
    })),
  };
  return (
    <div data-testid="scorecard-charts">
      <ReactEChartsCore echarts={echarts} option={ratios} className="xy-chart" notMerge />
      <ReactEChartsCore echarts={echarts} option={counts} className="xy-chart" notMerge />
    </div>
  );
}
