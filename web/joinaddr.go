package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
)

// joinInfo is where students' phones reach a class run, as the projector
// shows it.
type joinInfo struct {
	// URL is the address the QR code holds (with the join code in it);
	// Base is the address students type (Base + "/j"), the code apart.
	URL  string `json:"url"`
	Base string `json:"base"`
	// Others are further addresses of this computer, when it has several
	// networks (the first is the one the QR code holds).
	Others []string `json:"others,omitempty"`
	// Note is one sentence about reaching the server: empty when the
	// address is one phones can reach.
	Note string `json:"note,omitempty"`
}

// joinAddress works out the join address of a class run from the address
// the server listens on (Config.Listen) or, when that is not known, the
// Host of the teacher's request. A server bound to a loopback address
// cannot be reached from a phone, so the note says how to start it; one
// bound to every address (0.0.0.0 or ::) is reached by this computer's
// addresses on its networks, which the projector shows.
func (s *Server) joinAddress(r *http.Request, code string) joinInfo {
	host, port := "", ""
	if a, ok := s.cfg.Listen.(*net.TCPAddr); ok && a != nil {
		port = strconv.Itoa(a.Port)
		if ip, ok := netip.AddrFromSlice(a.IP); ok {
			ip = ip.Unmap()
			if !ip.IsUnspecified() {
				host = ip.String()
			} else if lan := lanAddresses(); len(lan) > 0 {
				var all []string
				for _, l := range lan {
					all = append(all, "http://"+net.JoinHostPort(l.String(), port))
				}
				return joinInfo{URL: all[0] + "/j/" + code, Base: all[0], Others: all[1:]}
			} else {
				host = "127.0.0.1"
			}
		}
	}
	if host == "" && r != nil {
		h, p, err := net.SplitHostPort(r.Host)
		if err != nil {
			h, p = r.Host, ""
		}
		host, port = normHost(h), p
	}
	hp := host
	if port != "" {
		hp = net.JoinHostPort(host, port)
	} else if ip, err := netip.ParseAddr(host); err == nil && ip.Is6() {
		hp = "[" + host + "]"
	}
	base := "http://" + hp
	ji := joinInfo{URL: base + "/j/" + code, Base: base}
	if loopback(host) {
		p := port
		if p == "" {
			p = "8080"
		}
		ji.Note = fmt.Sprintf("This server answers this computer only, so phones cannot reach it: stop it and start it again with copsim serve --class --addr 0.0.0.0:%s.", p)
	}
	return ji
}

// loopback reports whether host names this computer only.
func loopback(host string) bool {
	if host == "localhost" || len(host) > 10 && host[len(host)-10:] == ".localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// lanAddresses are this computer's addresses on its networks, the ones a
// phone on the same Wi-Fi can reach: IPv4 private addresses first, then
// other IPv4 and global IPv6 unicast addresses; never loopback or
// link-local ones.
func lanAddresses() []netip.Addr {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil
	}
	var out []netip.Addr
	for _, ifc := range ifs {
		if ifc.Flags&net.FlagUp == 0 || ifc.Flags&net.FlagLoopback != 0 {
			continue
		}
		addrs, err := ifc.Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			pfx, err := netip.ParsePrefix(a.String())
			if err != nil {
				continue
			}
			ip := pfx.Addr().Unmap()
			if ip.IsLoopback() || ip.IsLinkLocalUnicast() || !ip.IsGlobalUnicast() && !ip.IsPrivate() {
				continue
			}
			out = append(out, ip)
		}
	}
	rank := func(ip netip.Addr) int {
		switch {
		case ip.Is4() && ip.IsPrivate():
			return 0
		case ip.Is4():
			return 1
		}
		return 2
	}
	slices.SortStableFunc(out, func(a, b netip.Addr) int { return rank(a) - rank(b) })
	return out
}
