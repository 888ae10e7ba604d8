package plots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/copsim/copsim/measure"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Roles from the centre of a community outwards, as drawn in the network
// picture. Nodes with any other role are drawn outside the outsiders.
var ringRoles = []string{"core", "active", "peripheral", "outsider"}

// BoundaryColor is the colour of ties that cross a community boundary.
var BoundaryColor color.Color = Blue

// point is a position in layout units (one unit = the spacing of
// neighbouring nodes on a ring).
type point struct{ x, y float64 }

// cluster is one community's part of the layout.
type cluster struct {
	name   string
	nodes  []int // indices into Network.Nodes
	radius float64
	center point
	// separators are the radii of circles drawn between role layers.
	separators []float64
}

// Layout geometry, in units of the spacing of neighbouring nodes.
const (
	ringStep  = 0.9 // between sub-rings of one role
	roleGap   = 1.4 // between the outermost ring of a role and the next role
	clusterGp = 1.5 // between the rims of neighbouring communities
)

// layoutNetwork places every node deterministically: communities in a grid
// of equal cells (as many columns as fit the aspect ratio aspect = width /
// height best), each community as concentric rings, core at the centre, then
// active, peripheral and outsiders. Within a role nodes keep their order in
// net.Nodes and are spread evenly on rings, starting at 12 o'clock; a role
// with more nodes than a ring holds at that spacing continues on further
// rings. labelRoom is the height left under each community for its name.
// An incomplete last row of the grid is centred. It returns the positions,
// the clusters, the cell width and the bounding box (xmin, xmax, ymin,
// ymax).
func layoutNetwork(net *measure.Network, aspect, labelRoom float64) ([]point, []cluster, float64, [4]float64) {
	pos := make([]point, len(net.Nodes))
	byComm := map[int][]int{}
	var order []int
	for i, n := range net.Nodes {
		if _, ok := byComm[n.Community]; !ok {
			order = append(order, n.Community)
		}
		byComm[n.Community] = append(byComm[n.Community], i)
	}
	slices.Sort(order) // communities in index order
	clusters := make([]cluster, len(order))
	for k, ci := range order {
		name := fmt.Sprintf("community %d", ci)
		if ci >= 0 && ci < len(net.CommunityNames) {
			name = net.CommunityNames[ci]
		}
		cl := cluster{name: name, nodes: byComm[ci]}
		layers := make([][]int, len(ringRoles)+1)
		for _, i := range cl.nodes {
			l := len(ringRoles)
			for r, role := range ringRoles {
				if net.Nodes[i].Role == role {
					l = r
				}
			}
			layers[l] = append(layers[l], i)
		}
		outer := -1.0 // radius of the outermost ring so far; -1: none
		for _, layer := range layers {
			if len(layer) == 0 {
				continue
			}
			if outer < 0 && len(layer) == 1 {
				pos[layer[0]] = point{0, 0}
				outer = 0
				continue
			}
			r := 1.0
			if outer >= 0 {
				r = outer + roleGap
				cl.separators = append(cl.separators, outer+roleGap/2)
			}
			radii, counts := rings(len(layer), r)
			placed := 0
			for k, r := range radii {
				n := counts[k]
				stagger := 0.0
				if k%2 == 1 {
					stagger = math.Pi / float64(n)
				}
				for j := range n {
					a := math.Pi/2 - 2*math.Pi*float64(j)/float64(n) - stagger
					pos[layer[placed+j]] = point{r * math.Cos(a), r * math.Sin(a)}
				}
				placed += n
				outer = r
			}
		}
		cl.radius = max(outer, 0) + 0.5
		clusters[k] = cl
	}

	// A grid of equal cells, the number of columns chosen so that the
	// grid's shape fits the canvas best.
	cell := 0.0
	for _, cl := range clusters {
		cell = max(cell, 2*cl.radius+clusterGp)
	}
	cellH := cell + labelRoom
	k := len(clusters)
	cols, best := 1, math.Inf(-1)
	for c := 1; c <= max(k, 1); c++ {
		rows := (k + c - 1) / c
		w, h := float64(c)*cell, float64(rows)*cellH
		if s := math.Min(aspect/w, 1/h); s > best+1e-12 {
			cols, best = c, s
		}
	}
	rows := (k + cols - 1) / cols
	for i := range clusters {
		col, row := i%cols, i/cols
		shift := 0.0
		if row == rows-1 {
			shift = float64(cols*rows-k) * cell / 2
		}
		clusters[i].center = point{(float64(col)+0.5)*cell + shift, -(float64(row)*cellH + cell/2)}
		for _, n := range clusters[i].nodes {
			pos[n].x += clusters[i].center.x
			pos[n].y += clusters[i].center.y
		}
	}
	box := [4]float64{0, float64(min(k, cols)) * cell, -float64(rows) * cellH, 0}
	return pos, clusters, cell, box
}

// ringCapacity is how many nodes fit on a ring of radius r at unit spacing.
func ringCapacity(r float64) int { return max(1, int(2*math.Pi*r)) }

// rings spreads n nodes over as few concentric rings as hold them, the
// first at radius r0 and then every ringStep, with counts proportional to
// each ring's circumference so that the spacing is even across the rings.
func rings(n int, r0 float64) (radii []float64, counts []int) {
	total := 0
	for r := r0; total < n; r += ringStep {
		radii = append(radii, r)
		total += ringCapacity(r)
	}
	sum := 0.0
	for _, r := range radii {
		sum += r
	}
	counts = make([]int, len(radii))
	left := n
	for k, r := range radii {
		c := int(math.Round(float64(n) * r / sum))
		if k == len(radii)-1 {
			c = left
		}
		c = min(c, ringCapacity(r), left)
		counts[k] = c
		left -= c
	}
	// rounding may leave nodes over: put them where there is room, outside in
	for k := len(radii) - 1; left > 0 && k >= 0; k-- {
		add := min(left, ringCapacity(radii[k])-counts[k])
		counts[k] += add
		left -= add
	}
	return radii, counts
}

// networkPlotter draws the network: ties, then nodes from the outside in
// (so the core is on top), then community names.
type networkPlotter struct {
	net      *measure.Network
	pos      []point
	clusters []cluster
	unit     vg.Length // one layout unit on the canvas, set before drawing
	labels   []string  // per cluster
	labelSty text.Style
}

// nodeRadius is a node's dot radius: slightly larger the more it knows.
func (np *networkPlotter) nodeRadius(n measure.Node) vg.Length {
	base := min(vg.Points(3.2), 0.3*np.unit)
	k := n.Knowledge
	if math.IsNaN(k) {
		k = 0.5
	}
	k = math.Min(1, math.Max(0, k))
	return base * vg.Length(0.65+0.7*k)
}

func (np *networkPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	at := func(p point) vg.Point { return vg.Point{X: trX(p.x), Y: trY(p.y)} }
	// the community's area, and thin circles between the role layers
	for _, cl := range np.clusters {
		ctr := at(cl.center)
		r := vg.Length(cl.radius+0.3) * np.unit
		c.SetColor(color.Gray{0xf3})
		var disc vg.Path
		disc.Move(vg.Point{X: ctr.X + r, Y: ctr.Y})
		disc.Arc(ctr, r, 0, 2*math.Pi)
		disc.Close()
		c.Fill(disc)
		for _, sep := range cl.separators {
			var ring vg.Path
			rr := vg.Length(sep) * np.unit
			ring.Move(vg.Point{X: ctr.X + rr, Y: ctr.Y})
			ring.Arc(ctr, rr, 0, 2*math.Pi)
			c.SetLineStyle(draw.LineStyle{Color: color.Gray{0xd0}, Width: 0.6, Dashes: []vg.Length{vg.Points(2), vg.Points(2)}})
			c.Stroke(ring)
		}
	}
	lw := min(vg.Points(0.6), 0.08*np.unit)
	for _, boundary := range []bool{false, true} {
		for _, e := range np.net.Edges {
			if e.Boundary != boundary || e.A < 0 || e.B < 0 || e.A >= len(np.pos) || e.B >= len(np.pos) {
				continue
			}
			w := e.Weight
			if math.IsNaN(w) {
				w = 1
			}
			w = math.Min(1, math.Max(0, w))
			var sty draw.LineStyle
			if boundary {
				sty = draw.LineStyle{Color: translucent(BoundaryColor, 0.3+0.4*w), Width: lw}
			} else {
				sty = draw.LineStyle{Color: translucent(Grey, 0.3+0.5*w), Width: lw}
			}
			c.StrokeLine2(sty, at(np.pos[e.A]).X, at(np.pos[e.A]).Y, at(np.pos[e.B]).X, at(np.pos[e.B]).Y)
		}
	}
	for l := len(ringRoles); l >= 0; l-- {
		for i, n := range np.net.Nodes {
			layer := len(ringRoles)
			for r, role := range ringRoles {
				if n.Role == role {
					layer = r
				}
			}
			if layer != l {
				continue
			}
			r := np.nodeRadius(n)
			pt := at(np.pos[i])
			c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: r + 0.5, Shape: draw.CircleGlyph{}}, pt)
			c.DrawGlyph(draw.GlyphStyle{Color: RoleColor(n.Role), Radius: r, Shape: draw.CircleGlyph{}}, pt)
			if n.Broker {
				c.SetLineWidth(vg.Points(0.9))
				c.DrawGlyph(draw.GlyphStyle{Color: Black, Radius: r + 0.3, Shape: draw.RingGlyph{}}, pt)
			}
		}
	}
	for k, cl := range np.clusters {
		pt := at(point{cl.center.x, cl.center.y - cl.radius - 0.4})
		c.FillText(np.labelSty, pt, np.labels[k])
	}
}

// clusterLabels returns the communities' labels, "name (size)", and one
// style for all of them that fits them into width w: LabelSize when
// possible, else the label broken into name and size on two lines and
// the font made smaller, down to 7 pt.
func clusterLabels(clusters []cluster, w vg.Length) ([]string, text.Style) {
	sty := text.Style{
		Color:   Black,
		Font:    font.From(Font, LabelSize),
		XAlign:  draw.XCenter,
		YAlign:  draw.YTop,
		Handler: plot.DefaultTextHandler,
	}
	labels := make([]string, len(clusters))
	for k, cl := range clusters {
		labels[k] = fmt.Sprintf("%s (%d)", cl.name, len(cl.nodes))
	}
	if maxWidth(sty, labels) <= w {
		return labels, sty
	}
	for k, cl := range clusters {
		labels[k] = fmt.Sprintf("%s\n(%d)", cl.name, len(cl.nodes))
	}
	for maxWidth(sty, labels) > w && sty.Font.Size > 7 {
		sty.Font.Size -= 0.5
	}
	return labels, sty
}

func maxWidth(sty text.Style, labels []string) vg.Length {
	var m vg.Length
	for _, l := range labels {
		m = max(m, sty.Width(l))
	}
	return m
}

func maxHeight(sty text.Style, labels []string) vg.Length {
	var m vg.Length
	for _, l := range labels {
		m = max(m, sty.Height(l))
	}
	return m
}

// drawCaption writes a one-line caption at the bottom of c and returns the
// rest of c.
func drawCaption(c draw.Canvas, caption string) draw.Canvas {
	sty := text.Style{
		Color:   color.Gray{0x40},
		Font:    font.From(Font, TickSize),
		XAlign:  draw.XCenter,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
	for sty.Width(caption) > c.Max.X-c.Min.X-2*Margin && sty.Font.Size > 8 {
		sty.Font.Size -= 0.5
	}
	c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Min.Y + Margin}, caption)
	return draw.Crop(c, 0, 0, sty.Height(caption)+2*Margin, 0)
}

// glyphThumb is a legend thumbnail: one glyph in the middle.
type glyphThumb draw.GlyphStyle

func (t glyphThumb) Thumbnail(c *draw.Canvas) {
	if _, ok := t.Shape.(draw.RingGlyph); ok {
		c.SetLineWidth(vg.Points(0.9))
	}
	c.DrawGlyph(draw.GlyphStyle(t), c.Center())
}

// networkFigure is the picture of net: communities as concentric rings of
// roles, dots coloured by role and sized by knowledge, ties grey, boundary
// ties blue.
func networkFigure(net *measure.Network, o Options) (figure, bool) {
	if net == nil || len(net.Nodes) == 0 {
		return figure{}, false
	}
	return figure{name: "network", w: o.Width, h: o.Height, draw: func(c draw.Canvas) error {
		nb := 0
		for _, e := range net.Edges {
			if e.Boundary {
				nb++
			}
		}
		p := NewPlot("", "")
		p.X.Label.Text = ""
		p.HideAxes()
		p.X.Padding, p.Y.Padding = 0, 0

		present := map[string]bool{}
		brokers := false
		for _, n := range net.Nodes {
			present[n.Role] = true
			brokers = brokers || n.Broker
		}
		leg := plot.NewLegend()
		leg.TextStyle.Font = font.From(Font, LegendSize)
		leg.ThumbnailWidth = 0.6 * vg.Centimeter
		leg.Padding = 0.12 * vg.Centimeter
		for _, role := range ringRoles {
			if present[role] {
				leg.Add(role, glyphThumb{Color: RoleColor(role), Radius: vg.Points(4), Shape: draw.CircleGlyph{}})
			}
		}
		if brokers {
			leg.Add("broker", glyphThumb{Color: Black, Radius: vg.Points(4.3), Shape: draw.RingGlyph{}})
		}
		leg.Add("tie", lineThumb{Color: Grey, Width: 1})
		leg.Add("boundary tie", lineThumb{Color: BoundaryColor, Width: 1})
		c = drawTitle(c, o.title(fmt.Sprintf("Network at tick %d", net.Tick)))
		c = drawCaption(c, fmt.Sprintf("%d people, %d ties (%d across community boundaries); dot size: knowledge",
			len(net.Nodes), len(net.Edges), nb))
		c = draw.Crop(c, Margin, 0, 0, 0)
		return drawLegendRight(c, leg, func(pc draw.Canvas) (draw.Canvas, error) {
			da := p.DataCanvas(pc)
			if !hasRoom(pc) || !hasRoom(da) {
				return pc, ErrNoRoom
			}
			w, h := float64(da.Max.X-da.Min.X), float64(da.Max.Y-da.Min.Y)
			// The room under each community for its name depends on the
			// scale, which depends on that room: a few rounds settle it.
			var (
				pos      []point
				clusters []cluster
				box      [4]float64
				scale    float64 // points per layout unit
				labels   []string
				sty      text.Style
			)
			const margin = 0.5
			room := 1.8
			for range 4 {
				var cell float64
				pos, clusters, cell, box = layoutNetwork(net, w/h, room)
				// equal scale on both axes
				bw, bh := box[1]-box[0]+2*margin, box[3]-box[2]+2*margin
				scale = math.Min(w/bw, h/bh)
				labels, sty = clusterLabels(clusters, vg.Length(0.85*cell*scale))
				need := 0.6 + float64(maxHeight(sty, labels))/scale
				if need <= room+1e-6 {
					break
				}
				room = need
			}
			cx, cy := (box[0]+box[1])/2, (box[2]+box[3])/2
			p.X.Min, p.X.Max = cx-w/scale/2, cx+w/scale/2
			p.Y.Min, p.Y.Max = cy-h/scale/2, cy+h/scale/2
			p.Add(&networkPlotter{net: net, pos: pos, clusters: clusters, unit: vg.Length(scale), labels: labels, labelSty: sty})
			p.Draw(pc)
			return da, nil
		})
	}}, true
}
