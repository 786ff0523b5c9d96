//! gRPC surface of self-service: authorize → parse → domain function → response.

use std::{pin::Pin, sync::Arc};

use futures_util::Stream;
use hrmesh_kit::{
    ApiError, FieldViolation, Violations,
    auth::{Principal, Role},
    error::{identifier, required_text},
    locale::Locale,
    service::ServiceContext,
    time as clock,
};
use hrmesh_proto::selfservice::v1::{
    self as pb,
    self_service_service_server::{SERVICE_NAME, SelfServiceService},
};
use tonic::{Request, Response, Status};

use crate::{
    certificate, chat,
    conversation::{self, Conv, MAX_MESSAGE_CHARS},
    dialogue, figures, follow_up,
    handbook::{self, Knowledge},
    leave,
    people::People,
    tickets,
};

/// The fully qualified RPC name, as audits record it.
fn rpc(method: &str) -> String {
    format!("{SERVICE_NAME}/{method}")
}

fn invalid(v: FieldViolation) -> Status {
    ApiError::InvalidArgument(vec![v]).into()
}

const HR: &[Role] = &[Role::HrAdmin];
/// Leave lapsing within this many days is mentioned when a conversation opens.
const EXPIRY_HINT_DAYS: i64 = 92;

/// The self-service gRPC handlers.
pub struct Api {
    ctx: ServiceContext,
    knowledge: Arc<Knowledge>,
}

impl Api {
    pub fn new(ctx: ServiceContext, knowledge: Arc<Knowledge>) -> Self {
        Self { ctx, knowledge }
    }

    /// The caller's own conversation `id`: NOT_FOUND when there is none, PERMISSION_DENIED
    /// (audited) when it is someone else's.
    async fn own_conversation<T>(&self, request: &Request<T>, method: &str, id: &str) -> Result<Conv, Status> {
        let rpc = rpc(method);
        let caller = self.ctx.authorize(request, &[Role::Employee], &rpc).await?;
        let id = identifier("conversation_id", id).map_err(invalid)?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let conv = conversation::load(&mut conn, &id).await?;
        drop(conn);
        self.ctx.acting_for(&caller, &conv.employee_id, &[], &rpc).await?;
        Ok(conv)
    }

    /// Reads a message request and answers it.
    async fn reply(&self, request: Request<pb::SendMessageRequest>, method: &str) -> Result<pb::Reply, Status> {
        let conv = self.own_conversation(&request, method, &request.get_ref().conversation_id).await?;
        let text = required_text("text", &request.get_ref().text, MAX_MESSAGE_CHARS).map_err(invalid)?;
        let people = People::as_caller(&self.ctx, &request)?;
        Ok(dialogue::respond(&self.ctx, &self.knowledge, &people, conv, text).await?)
    }

    async fn hr<T>(&self, request: &Request<T>, method: &str) -> Result<Principal, Status> {
        self.ctx.authorize(request, HR, &rpc(method)).await
    }
}

fn language(field: &str, value: &str) -> Result<Option<Locale>, Status> {
    Locale::optional(field, value).map_err(invalid)
}

#[tonic::async_trait]
impl SelfServiceService for Api {
    async fn open_conversation(
        &self,
        request: Request<pb::OpenConversationRequest>,
    ) -> Result<Response<pb::Conversation>, Status> {
        let caller = self.ctx.authorize(&request, &[Role::Employee], &rpc("OpenConversation")).await?;
        let (employee_id, language) = conversation::parse(request.get_ref())?;
        self.ctx.acting_for(&caller, &employee_id, &[], &rpc("OpenConversation")).await?;
        let people = People::as_caller(&self.ctx, &request)?;
        let language = match language {
            Some(l) => l,
            None => match people.employee(&employee_id).await {
                Ok(employee) => Locale::parse(&employee.preferred_language).unwrap_or(Locale::En),
                Err(status) => {
                    tracing::info!(code = ?status.code(), "no preferred language from people; English");
                    Locale::En
                }
            },
        };
        // Proactive: leave that lapses within the next three months is mentioned right away.
        let today = clock::today();
        let mut hints = match people.balance(&employee_id, today.year()).await {
            Ok(balance) => leave::expiring(language, &balance, today, Some(EXPIRY_HINT_DAYS)),
            Err(_) => Vec::new(),
        };
        // And an employment certificate that stops counting as current within two weeks.
        if let Ok(documents) = people.documents(&employee_id).await {
            hints.extend(certificate::expiring(language, &documents, today));
        }
        Ok(Response::new(conversation::open(&self.ctx, employee_id, language, &hints).await?))
    }

    async fn send_message(&self, request: Request<pb::SendMessageRequest>) -> Result<Response<pb::Reply>, Status> {
        Ok(Response::new(self.reply(request, "SendMessage").await?))
    }

    type ChatStream = Pin<Box<dyn Stream<Item = Result<pb::Reply, Status>> + Send>>;

    async fn chat(&self, request: Request<pb::SendMessageRequest>) -> Result<Response<Self::ChatStream>, Status> {
        let reply = self.reply(request, "Chat").await?;
        let chunks = chat::chunks(reply);
        Ok(Response::new(Box::pin(tokio_stream::iter(chunks.into_iter().map(Ok)))))
    }

    async fn get_conversation(
        &self,
        request: Request<pb::GetConversationRequest>,
    ) -> Result<Response<pb::ConversationHistory>, Status> {
        let conv = self.own_conversation(&request, "GetConversation", &request.get_ref().conversation_id).await?;
        let people = People::as_caller(&self.ctx, &request)?;
        follow_up::refresh(&self.ctx, &people, &conv, clock::today()).await?;
        let mut conn = self.ctx.db.pool().acquire().await.map_err(ApiError::from)?;
        let conv = conversation::load(&mut conn, &conv.id).await?;
        Ok(Response::new(conversation::history(&self.ctx, &mut conn, &conv).await?))
    }

    async fn upload_handbook(
        &self,
        request: Request<pb::UploadHandbookRequest>,
    ) -> Result<Response<pb::HandbookDocument>, Status> {
        let caller = self.hr(&request, "UploadHandbook").await?;
        Ok(Response::new(handbook::upload(&self.ctx, request.get_ref(), &caller.subject).await?))
    }

    async fn add_faq(&self, request: Request<pb::AddFaqRequest>) -> Result<Response<pb::Faq>, Status> {
        let caller = self.hr(&request, "AddFaq").await?;
        Ok(Response::new(handbook::add_faq(&self.ctx, request.get_ref(), &caller.subject).await?))
    }

    async fn list_unanswered(
        &self,
        request: Request<pb::ListUnansweredRequest>,
    ) -> Result<Response<pb::ListUnansweredResponse>, Status> {
        self.hr(&request, "ListUnanswered").await?;
        let language = language("language", &request.get_ref().language)?;
        Ok(Response::new(pb::ListUnansweredResponse { questions: handbook::unanswered(&self.ctx, language).await? }))
    }

    async fn search_handbook(
        &self,
        request: Request<pb::SearchHandbookRequest>,
    ) -> Result<Response<pb::SearchHandbookResponse>, Status> {
        let roles = [Role::Employee, Role::HrAdmin, Role::Manager, Role::Service];
        self.ctx.authorize(&request, &roles, &rpc("SearchHandbook")).await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let question = v.check(required_text("question", &req.question, MAX_MESSAGE_CHARS));
        let asked = v.check(Locale::optional("language", &req.language));
        let (Some(question), Some(asked)) = (question, asked) else { return Err(v.into_error().into()) };
        // Without a language: the detected one first, then the others (a short question often
        // carries too few words to tell).
        let detected = Locale::detect(&question);
        let languages: Vec<Locale> = match asked {
            Some(l) => vec![l],
            None => std::iter::once(detected).chain(Locale::ALL.into_iter().filter(|l| *l != detected)).collect(),
        };
        let mut answer = handbook::Answer::default();
        for locale in languages {
            answer = self.knowledge.ask(&self.ctx, locale, &question).await?;
            if answer.answered {
                break;
            }
        }
        Ok(Response::new(pb::SearchHandbookResponse { answered: answer.answered, citations: answer.citations }))
    }

    async fn list_tickets(
        &self,
        request: Request<pb::ListTicketsRequest>,
    ) -> Result<Response<pb::ListTicketsResponse>, Status> {
        self.hr(&request, "ListTickets").await?;
        let status = match request.get_ref().status.as_str() {
            "" => None,
            s @ ("open" | "answered") => Some(s),
            _ => return Err(invalid(FieldViolation::new("status", "must be open, answered or empty"))),
        };
        Ok(Response::new(pb::ListTicketsResponse { tickets: tickets::list(&self.ctx, status).await? }))
    }

    async fn answer_ticket(&self, request: Request<pb::AnswerTicketRequest>) -> Result<Response<pb::Ticket>, Status> {
        let caller = self.hr(&request, "AnswerTicket").await?;
        let req = request.get_ref();
        let mut v = Violations::default();
        let ticket_id = v.check(identifier("ticket_id", &req.ticket_id));
        let answer = v.check(required_text("answer", &req.answer, 4000));
        let (Some(ticket_id), Some(answer)) = (ticket_id, answer) else { return Err(v.into_error().into()) };
        Ok(Response::new(tickets::answer(&self.ctx, &ticket_id, &answer, &caller.subject).await?))
    }

    async fn get_assistant_figures(
        &self,
        request: Request<pb::GetAssistantFiguresRequest>,
    ) -> Result<Response<pb::AssistantFigures>, Status> {
        self.hr(&request, "GetAssistantFigures").await?;
        let (from, to) = figures::period(request.get_ref(), clock::today())?;
        Ok(Response::new(figures::figures(&self.ctx, from, to).await?))
    }
}
