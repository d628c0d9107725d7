package httpapi

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/argine-pa/argine/internal/domain"
	"github.com/argine-pa/argine/internal/service"
)

// The caller's inbox and preferences, the administrator's outbox (service/notifications.go), and the cycle's
// campaign calendar (service/calendar.go).

// pageQuery reads page and page_size (both optional integers).
func pageQuery(c *gin.Context) (num, size int, err error) {
	var problems []domain.FieldError
	for name, dst := range map[string]*int{"page": &num, "page_size": &size} {
		if v := c.Query(name); v != "" {
			n, perr := strconv.Atoi(v)
			if perr != nil {
				problems = append(problems, domain.FieldError{Field: name, Code: "not_integer", Message: name + " must be an integer"})
				continue
			}
			*dst = n
		}
	}
	if len(problems) > 0 {
		return 0, 0, &domain.ValidationError{Code: "query_invalid", Problems: problems}
	}
	return num, size, nil
}

func (a *api) listNotifications(c *gin.Context) {
	num, size, err := pageQuery(c)
	unread := false
	if err == nil {
		switch c.Query("unread") {
		case "", "false":
		case "true":
			unread = true
		default:
			err = &domain.ValidationError{Code: "query_invalid", Problems: []domain.FieldError{{Field: "unread", Code: "not_boolean", Message: "unread must be true or false"}}}
		}
	}
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Notifications.Inbox(c.Request.Context(), actorOf(c), unread, num, size))
}

func (a *api) unreadNotifications(c *gin.Context) {
	n, err := a.Notifications.UnreadCount(c.Request.Context(), actorOf(c))
	a.answer(c, http.StatusOK)(gin.H{"unread": n}, err)
}

func (a *api) readNotification(c *gin.Context) {
	id, err := idParam(c, "id", "notification")
	if a.failed(c, err) {
		return
	}
	a.noContent(c, a.Notifications.MarkRead(c.Request.Context(), actorOf(c), id))
}

func (a *api) readAllNotifications(c *gin.Context) {
	n, err := a.Notifications.MarkAllRead(c.Request.Context(), actorOf(c))
	a.answer(c, http.StatusOK)(gin.H{"marked": n}, err)
}

func (a *api) getNotificationPreferences(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Notifications.Preferences(c.Request.Context(), actorOf(c)))
}

func (a *api) putNotificationPreferences(c *gin.Context) {
	in, err := body[service.Preferences](c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Notifications.SetPreferences(c.Request.Context(), actorOf(c), in))
}

func (a *api) listOutbox(c *gin.Context) {
	num, size, err := pageQuery(c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Notifications.Outbox(c.Request.Context(), actorOf(c), c.Query("state"), num, size))
}

func (a *api) resendMail(c *gin.Context) {
	id, err := idParam(c, "id", "mail")
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Notifications.Resend(c.Request.Context(), actorOf(c), id))
}

func (a *api) getCalendar(c *gin.Context) {
	a.answer(c, http.StatusOK)(a.Calendar.Get(c.Request.Context(), actorOf(c), c.Param("cycle")))
}

func (a *api) putCalendar(c *gin.Context) {
	in, err := body[service.CalendarInput](c)
	if a.failed(c, err) {
		return
	}
	a.answer(c, http.StatusOK)(a.Calendar.Set(c.Request.Context(), actorOf(c), c.Param("cycle"), in))
}
